using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>Determinism for a seed and an iteration budget, the anytime best, and prompt cancellation.</summary>
public sealed class RunBehaviourTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static int[] Starts(SolveResult result) => [.. result.Best.Schedule.Jobs.SelectMany(j => j.Select(o => o.Start))];

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void The_same_seed_and_iteration_budget_give_the_same_schedule(int workers)
    {
        var instance = Instances.Load("la16");
        var options = new SolverOptions { TimeLimit = null, IterationLimit = 30_000, SyncInterval = 7_000, Seed = 11, Workers = workers };

        var first = SchedulingSolver.Solve(instance, options);
        var second = SchedulingSolver.Solve(instance, options);
        var otherSeed = SchedulingSolver.Solve(instance, options with { Seed = 12 });

        Assert.Equal(first.Best.Makespan, second.Best.Makespan);
        Assert.Equal(Starts(first), Starts(second));
        Assert.Equal(first.Iterations, second.Iterations);
        Assert.True(ScheduleChecker.Check(instance, otherSeed.Best.Schedule).IsValid);
    }

    [Fact]
    public void The_flexible_search_is_repeatable_for_a_seed()
    {
        var instance = new ShopInstance(3,
        [
            .. Enumerable.Range(0, 6).Select(j => new ShopJob(
                [.. Enumerable.Range(0, 3).Select(k => new ShopOperation([new((j + k) % 3, 2 + ((j * k) % 5)), new((j + k + 1) % 3, 3 + (j % 4))], k % 2))],
                Release: j, Due: 12 + j, Weight: 1 + (j % 3))),
        ], new SetupTimes(3, 2, (m, from, to) => from == to ? 0 : 1 + m));
        var options = new SolverOptions { TimeLimit = null, IterationLimit = 20_000, SyncInterval = 3_000, Seed = 5, Objective = Objective.TotalWeightedTardiness };

        var first = SchedulingSolver.Solve(instance, options);
        var second = SchedulingSolver.Solve(instance, options);

        Assert.Equal(Starts(first), Starts(second));
        Assert.True(ScheduleChecker.Check(instance, first.Best.Schedule).IsValid);
    }

    [Fact]
    public async Task Cancellation_returns_the_best_schedule_so_far_promptly()
    {
        var instance = Instances.Load("ta01");
        using var cancellation = new CancellationTokenSource();
        var run = SchedulingSolver.Start(instance, new SolverOptions { TimeLimit = null }, cancellation.Token);

        await Eventually.TrueAsync(() => run.Best is not null, "the run's first schedule", Deadline);
        var early = run.Best!;
        Assert.True(ScheduleChecker.Check(instance, early.Schedule).IsValid);
        cancellation.Cancel();

        // The run has no time limit: only the cancellation can end it. WaitAsync is a hang guard, not a measure.
        var result = await run.Completion.WaitAsync(Deadline);
        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.True(result.Best.Makespan <= early.Makespan);
        Assert.True(ScheduleChecker.Check(instance, result.Best.Schedule).IsValid);
    }

    [Fact]
    public void A_time_limit_stops_the_search_with_a_valid_schedule()
    {
        var instance = Instances.Load("ft10");

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = TimeSpan.FromMilliseconds(300) });

        Assert.Contains(result.Reason, new[] { StopReason.TimeLimit, StopReason.Optimal });
        Assert.True(ScheduleChecker.Check(instance, result.Best.Schedule).IsValid);
        Assert.True(result.Best.FoundAfter <= result.Elapsed);
    }

    [Fact]
    public void A_search_that_could_never_end_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SchedulingSolver.Start(Instances.Load("ft06"), new SolverOptions { TimeLimit = null }));
    }
}
