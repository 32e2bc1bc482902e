using Millwright.Fuzzing;
using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

/// <summary>The customer CSV is untrusted: mutated files parse (and infer) or fail with line and column; nothing else escapes.</summary>
public sealed class CustomerCsvFuzzTests
{
    private const int Cases = 20_000;

    [Fact]
    public void Mutated_customer_files_parse_or_fail_with_line_and_column()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- c2m-csv`.
        var engine = CustomerCsvFuzzing.Engine(20261206);
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (_, input) = engine.Next();
            if (CustomerCsvFuzzing.Check(input) is not null)
            {
                parsed++;
            }
        }

        Assert.InRange(parsed, 1, Cases - 1);
    }
}
