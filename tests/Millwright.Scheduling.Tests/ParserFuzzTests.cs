using Millwright.Fuzzing;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// The instance parser is fed untrusted files: mutated benchmark files either parse into an instance the solver
/// accepts, or fail with <see cref="InstanceFormatException"/>; nothing else escapes.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Cases = 30_000;

    [Fact]
    public void Mutated_instance_files_parse_or_fail_with_the_parsers_exception()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- jobshop`.
        var engine = JobShopFuzzing.Engine(20261202);
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var instance = JobShopFile.Parse(input);
                parsed++;
                if (parsed % 500 == 0 && instance.OperationCount <= 400)
                {
                    // Now and then, prove the parsed instance is one the solver handles.
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
