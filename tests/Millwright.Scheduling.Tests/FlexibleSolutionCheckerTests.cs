using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The printed flexible solution and the checker that reads it back against the file's own text.</summary>
public sealed class FlexibleSolutionCheckerTests
{
    private const string File2x2 = "2 2 1.5\n2 1 1 3 2 1 4 2 2\n1 1 2 5\n";

    [Fact]
    public void A_solution_prints_the_makespan_then_machine_colon_start_per_operation_with_machines_from_one()
    {
        var schedule = new Schedule([[new ScheduledOperation(0, 0), new ScheduledOperation(1, 5)], [new ScheduledOperation(1, 0)]]);

        var text = SolutionText.Write(schedule, 7, InstanceFormat.Fjsp);

        Assert.Equal("7\n1:0 2:5\n2:0\n", text);
        Assert.True(FlexibleSolutionChecker.Check(File2x2, text).IsValid);
        Assert.Equal("7\n0 5\n0\n", SolutionText.Write(schedule, 7, InstanceFormat.Jsp));
    }

    [Theory]
    [InlineData("7\n1:0 3:5\n2:0\n", "machine 3 cannot run it")]
    [InlineData("7\n1:0 2:2\n2:0\n", "starts at 2, before operation 1 ends at 3")]
    [InlineData("7\n1:0 2:4\n2:0\n", "machine 2: job 1 operation 2 starts at 4, before job 2 operation 1 ends at 5")]
    [InlineData("8\n1:0 2:5\n2:0\n", "the first line says makespan 8, the schedule's is 7")]
    [InlineData("7\n1:0\n2:0\n", "job 1: 1 entries for 2 operations")]
    [InlineData("7\n1-0 2:5\n2:0\n", "is not machine:start")]
    [InlineData("7\n1:0 2:5\n", "the solution 1")]
    public void A_wrong_solution_is_caught(string solution, string violation)
    {
        var check = FlexibleSolutionChecker.Check(File2x2, solution);

        Assert.Contains(check.Violations, v => v.Contains(violation, StringComparison.Ordinal));
    }

    [Fact]
    public void The_solvers_schedule_for_mk01_passes_both_checkers()
    {
        var text = File.ReadAllText(Instances.FlexiblePath("mk01"));
        var (instance, format) = InstanceFile.Parse(text);

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 2_000, SyncInterval = 500 });

        Assert.True(ScheduleChecker.Check(instance, result.Best.Schedule).IsValid);
        var printed = FlexibleSolutionChecker.Check(text, SolutionText.Write(result.Best.Schedule, result.Best.Makespan, format));
        Assert.True(printed.IsValid, string.Join("; ", printed.Violations));
        Assert.Equal(result.Best.Makespan, printed.Makespan);
    }
}
