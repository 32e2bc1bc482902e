using System.Diagnostics;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.JobShop;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// CP-SAT polishing of the classic tabu search (opt-in, <see cref="SolverOptions.ClassicPolish"/>): a polished
/// schedule is never worse and passes the independent checker, and runs bounded by iterations stay repeatable
/// because CP-SAT never joins them.
/// </summary>
public sealed class ClassicPolishTests
{
    [Theory]
    [InlineData("ft10", 1)]
    [InlineData("la16", 2)]
    public void A_polished_schedule_is_never_worse_and_passes_the_checker(string name, int seed)
    {
        var instance = Instances.Load(name);
        var problem = new JobShopProblem(instance);
        var start = new JobShopState(problem);
        start.LoadFromKeys(GifflerThompson.Build(problem, new Random(seed)));
        var solution = TabuWorker.Elite(problem, start.Makespan, Array.ConvertAll(start.Head, h => (double)h), optimal: false);
        var polisher = new ClassicPolisher(problem, 2, seed);

        // Three bursts in a row, each from the last one's result, as the driver alternates them with the tabu search.
        for (var burst = 0; burst < 3; burst++)
        {
            var polished = polisher.Polish(solution, TimeSpan.FromSeconds(1), CancellationToken.None);

            Assert.True(polished.Objective <= solution.Objective, $"burst {burst}: {polished.Objective} after {solution.Objective}");
            var check = ScheduleChecker.Check(instance, polished.Schedule());
            Assert.True(check.IsValid, string.Join("; ", check.Violations));
            Assert.Equal(polished.Objective, check.Makespan);
            solution = polished;
        }

        Assert.True(polisher.Steps > 0);

        // A Giffler-Thompson start is far from optimal on these, so CP-SAT's neighbourhoods must find something.
        Assert.True(solution.Objective < start.Makespan, $"{solution.Objective} after {start.Makespan}");
    }

    [Fact]
    public void A_run_with_classic_polishing_keeps_its_time_limit_and_its_schedule_checks()
    {
        var instance = Instances.Load("ta01");
        var clock = Stopwatch.StartNew();

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = TimeSpan.FromSeconds(4), ClassicPolish = true, Workers = 2 });

        // CP-SAT stops within a few tens of milliseconds of its limit; the rest is the driver's last epoch.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        Assert.Equal(StopReason.TimeLimit, result.Reason);
        var check = ScheduleChecker.Check(instance, result.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(result.Best.Makespan, check.Makespan);
    }

    [Fact]
    public void An_iteration_budget_keeps_the_run_repeatable_with_classic_polishing_asked_for()
    {
        var instance = Instances.Load("la16");
        var options = new SolverOptions { TimeLimit = TimeSpan.FromMinutes(5), IterationLimit = 30_000, Seed = 3, ClassicPolish = true };

        var first = SchedulingSolver.Solve(instance, options);
        var second = SchedulingSolver.Solve(instance, options);

        Assert.Equal(first.Best.Makespan, second.Best.Makespan);
        Assert.Equal(Starts(first.Best.Schedule), Starts(second.Best.Schedule));
        Assert.Equal(first.Best.Makespan, SchedulingSolver.Solve(instance, options with { ClassicPolish = false }).Best.Makespan);
    }

    private static int[] Starts(Schedule schedule) => [.. schedule.Jobs.SelectMany(job => job.Select(op => op.Start))];
}
