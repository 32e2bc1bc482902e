using Millwright.Fuzzing;

namespace Millwright.Learning.Tests;

/// <summary>The series reader takes untrusted files: mutated ones parse (and score within [0, 1]) or fail with line and column.</summary>
public sealed class SeriesCsvFuzzTests
{
    private const int Cases = 20_000;

    [Fact]
    public void Mutated_series_files_parse_and_score_or_fail_with_the_readers_exception()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- seriescsv`.
        var engine = SeriesCsvFuzzing.Engine(20261206);
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            if (SeriesCsvFuzzing.Check(engine.Next().Input) >= 0)
            {
                parsed++;
            }
        }

        Assert.InRange(parsed, 1, Cases - 1);
    }
}
