using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>Where the flexible search starts: never worse than dispatching by due date, and a hinted plan kept unless beaten.</summary>
public sealed class StartingPointTests
{
    /// <summary>A loaded shop: 30 jobs of 3 operations, each with a choice of two or three machines out of six, due dates in the thick of it.</summary>
    private static ShopInstance LoadedShop(int seed)
    {
        var random = new Random(seed);
        var jobs = Enumerable.Range(0, 30).Select(_ => new ShopJob(
            [.. Enumerable.Range(0, 3).Select(_ => new ShopOperation([.. Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(random.Next(2, 4))
                .Select(m => new MachineOption(m, random.Next(5, 40)))]))],
            Release: random.Next(0, 20), Due: random.Next(40, 200), Weight: random.Next(1, 10))).ToList();
        return new ShopInstance(6, jobs);
    }

    /// <summary>The rule as a dispatcher would run it: jobs by due date (heaviest first), each operation on the machine that finishes it first.</summary>
    private static long EarliestDueDateTardiness(ShopInstance instance)
    {
        var free = new long[instance.MachineCount];
        long tardiness = 0;
        foreach (var job in instance.Jobs.OrderBy(j => j.Due).ThenByDescending(j => j.Weight))
        {
            long ready = job.Release;
            foreach (var op in job.Operations)
            {
                var best = op.Options.MinBy(o => Math.Max(free[o.Machine], ready) + o.Duration)!;
                ready = free[best.Machine] = Math.Max(free[best.Machine], ready) + best.Duration;
            }

            tardiness += job.Weight * Math.Max(0, ready - job.Due!.Value);
        }

        return tardiness;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Weighted_tardiness_starts_no_worse_than_the_earliest_due_date_rule(int seed)
    {
        var instance = LoadedShop(seed);
        var rule = EarliestDueDateTardiness(instance);

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 1, Workers = 1, Objective = Objective.TotalWeightedTardiness });

        var check = ScheduleChecker.Check(instance, result.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.True(rule > 0, "the shop should be loaded enough for the rule to be late");
        Assert.True(check.TotalWeightedTardiness <= rule, $"start {check.TotalWeightedTardiness} is worse than the rule's {rule}");
    }

    [Fact]
    public void Hints_that_are_all_empty_start_from_the_rule_as_no_hints_do()
    {
        var instance = LoadedShop(6);
        var none = instance.Jobs.Select(j => (IReadOnlyList<ScheduledOperation?>)new ScheduledOperation?[j.Operations.Count]).ToList();
        var options = new SolverOptions { TimeLimit = null, IterationLimit = 0, Workers = 1, Objective = Objective.TotalWeightedTardiness };

        var plain = SchedulingSolver.Solve(instance, options);
        var empty = SchedulingSolver.Solve(instance, options with { StartFrom = none });

        Assert.Equal(plain.Best.WeightedTardiness, empty.Best.WeightedTardiness);
        Assert.True(plain.Best.WeightedTardiness <= EarliestDueDateTardiness(instance));
    }

    [Fact]
    public void A_hinted_plan_that_cannot_be_beaten_is_kept_as_it_is()
    {
        // Two jobs, either machine: on its own the search starts with the heavier first job on machine 0; the plan being followed has it on machine 1.
        var instance = new ShopInstance(2,
        [
            new ShopJob([new ShopOperation([new(0, 10), new(1, 10)])], Due: 10, Weight: 2),
            new ShopJob([new ShopOperation([new(0, 10), new(1, 10)])], Due: 10),
        ]);
        ScheduledOperation?[][] followed = [[new ScheduledOperation(1, 0)], [new ScheduledOperation(0, 0)]];

        var fresh = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 1000, Workers = 1, Objective = Objective.TotalWeightedTardiness });
        var hinted = SchedulingSolver.Solve(instance, new SolverOptions
        {
            TimeLimit = null, IterationLimit = 1000, Workers = 1, Objective = Objective.TotalWeightedTardiness, StartFrom = followed,
        });

        Assert.Equal(0, fresh.Best.Schedule.Jobs[0][0].Machine);
        Assert.Equal(new ScheduledOperation(1, 0), hinted.Best.Schedule.Jobs[0][0]);
        Assert.Equal(new ScheduledOperation(0, 0), hinted.Best.Schedule.Jobs[1][0]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_re_plan_from_the_plan_being_followed_is_no_worse_than_that_plan(int seed)
    {
        var instance = LoadedShop(seed);
        var first = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 2000, Workers = 1, Objective = Objective.TotalWeightedTardiness });
        var followed = first.Best.Schedule.Jobs.Select(ops => (IReadOnlyList<ScheduledOperation?>)[.. ops.Select(o => (ScheduledOperation?)o)]).ToList();

        var again = SchedulingSolver.Solve(instance, new SolverOptions
        {
            TimeLimit = null, IterationLimit = 2000, Workers = 2, Seed = 9, Objective = Objective.TotalWeightedTardiness, StartFrom = followed,
        });

        var check = ScheduleChecker.Check(instance, again.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.True(check.TotalWeightedTardiness <= ScheduleChecker.Check(instance, first.Best.Schedule).TotalWeightedTardiness);
    }
}
