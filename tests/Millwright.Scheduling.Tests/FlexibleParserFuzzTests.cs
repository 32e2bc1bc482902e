using Millwright.Fuzzing;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// The flexible reader (behind format recognition) is fed untrusted files: mutated flexible files either read into an
/// instance the solver accepts, or fail with <see cref="InstanceFormatException"/>; nothing else escapes.
/// </summary>
public sealed class FlexibleParserFuzzTests
{
    private const int Cases = 20_000;

    [Fact]
    public void Mutated_flexible_files_read_or_fail_with_the_parsers_exception()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- fjsp`.
        var engine = FlexibleJobShopFuzzing.Engine(20261206);
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var instance = InstanceFile.Parse(input).Instance;
                parsed++;
                if (parsed % 500 == 0 && instance.OperationCount <= 400)
                {
                    var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 200, SyncInterval = 100 });
                    Assert.True(ScheduleChecker.Check(instance, result.Best.Schedule).IsValid);
                }
            }
            catch (InstanceFormatException e)
            {
                Assert.True(e.Line >= 1 && e.Column >= 1, e.Message);
            }
        }

        Assert.InRange(parsed, 1, Cases - 1);
    }
}
