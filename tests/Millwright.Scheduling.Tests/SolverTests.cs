using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// The solver on instances whose optimum is known (ft06) or small enough to work out by hand (in each test's comment).
/// Budgets are iteration limits, so each run is the same on any machine.
/// </summary>
public sealed class SolverTests
{
    private static readonly SolverOptions Budget = new() { TimeLimit = null, IterationLimit = 20_000, SyncInterval = 5_000, Seed = 3 };

    private static SolveResult SolveAndCheck(ShopInstance instance, SolverOptions options)
    {
        var result = SchedulingSolver.Solve(instance, options);
        var check = ScheduleChecker.Check(instance, result.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(check.Makespan, result.Best.Makespan);
        Assert.Equal(check.TotalWeightedTardiness, result.Best.WeightedTardiness);
        return result;
    }

    [Fact]
    public void Ft06_is_solved_to_its_optimum_55()
    {
        var result = SolveAndCheck(Instances.Load("ft06"), Budget);

        Assert.Equal(55, result.Best.Objective);
    }

    [Fact]
    public void A_flexible_job_shop_gets_the_best_machine_choice()
    {
        // Machine 1 must run job 0's second operation (3) and machine 0 job 1's second (4). Of the 8 ways to place the
        // three flexible operations, the best load split is machine 0: 3 + 4, machine 1: 3 + 3 + 2 = 8, and 8 is
        // reachable: m0 runs j0 [0,3) then j1 [3,7); m1 runs j1 [0,3), j0 [3,6), j2 [6,8).
        var instance = new ShopInstance(2,
        [
            new ShopJob([new ShopOperation([new(0, 3), new(1, 4)]), ShopOperation.On(1, 3)]),
            new ShopJob([new ShopOperation([new(0, 2), new(1, 3)]), ShopOperation.On(0, 4)]),
            new ShopJob([new ShopOperation([new(0, 4), new(1, 2)])]),
        ]);

        Assert.Equal(8, SolveAndCheck(instance, Budget).Best.Objective);
    }

    [Fact]
    public void Sequence_dependent_setups_lead_to_the_cheap_order()
    {
        // One machine, three unit jobs of families 0, 1, 2. Setups cost 1 from nothing and along 0→1→2→0, 10 otherwise,
        // so the best is 1 + 1 + 1 + 1 + 1 + 1 = 6 (any rotation of 0, 1, 2); every other order pays a 10.
        var setups = new SetupTimes(1, 3, (_, from, to) => from == SetupTimes.None || to == (from + 1) % 3 ? 1 : 10);
        var instance = new ShopInstance(1, [.. Enumerable.Range(0, 3).Select(f => new ShopJob([new ShopOperation([new(0, 1)], f)]))], setups);

        Assert.Equal(6, SolveAndCheck(instance, Budget).Best.Objective);
    }

    [Fact]
    public void Fixed_setups_are_paid_before_every_operation()
    {
        // Two jobs on one machine, family setups 2 and 3: 2 + 4 + 3 + 1 = 10 in either order.
        var instance = new ShopInstance(1, [new ShopJob([new ShopOperation([new(0, 4)], 0)]), new ShopJob([new ShopOperation([new(0, 1)], 1)])],
            SetupTimes.Fixed(1, [2, 3]));

        Assert.Equal(10, SolveAndCheck(instance, Budget).Best.Objective);
    }

    [Fact]
    public void A_release_date_is_waited_for_and_worked_around()
    {
        // Job 1 (4 on machine 1) is released at 2. Machine 1 first runs job 1 [2,6), then job 0's second step [6,9): 9.
        // The other way round, job 0 [3,6) then job 1 [6,10), gives 10.
        var instance = new ShopInstance(2,
        [
            new ShopJob([ShopOperation.On(0, 3), ShopOperation.On(1, 3)]),
            new ShopJob([ShopOperation.On(1, 4)], Release: 2),
        ]);

        Assert.Equal(9, SolveAndCheck(instance, Budget).Best.Objective);
    }

    [Fact]
    public void Downtime_is_worked_around()
    {
        // Machine 0 is down over [2,5). Job 1 (2) fits before it, job 0 (3) does not: [0,2) and [5,8), makespan 8.
        var instance = new ShopInstance(1, [new ShopJob([ShopOperation.On(0, 3)]), new ShopJob([ShopOperation.On(0, 2)])],
            downtime: [[new TimeWindow(2, 5)]]);

        Assert.Equal(8, SolveAndCheck(instance, Budget).Best.Objective);
    }

    [Fact]
    public void Total_weighted_tardiness_is_minimised()
    {
        // A (3, due 3, weight 1), B (2, due 5, weight 2), C (4, due 4, weight 3) on one machine. The six orders cost
        // ABC 15, ACB 17, BAC 17, BCA 12, CAB 12, CBA 0 + 2·1 + 1·6 = 8.
        var instance = new ShopInstance(1,
        [
            new ShopJob([ShopOperation.On(0, 3)], Due: 3, Weight: 1),
            new ShopJob([ShopOperation.On(0, 2)], Due: 5, Weight: 2),
            new ShopJob([ShopOperation.On(0, 4)], Due: 4, Weight: 3),
        ]);

        var result = SolveAndCheck(instance, Budget with { Objective = Objective.TotalWeightedTardiness });

        Assert.Equal(8, result.Best.Objective);
        Assert.Equal(8, result.Best.WeightedTardiness);
    }

    [Fact]
    public void A_classic_instance_is_solved_under_weighted_tardiness_too()
    {
        var instance = Instances.Load("ft06");

        var result = SolveAndCheck(instance, Budget with { Objective = Objective.TotalWeightedTardiness, IterationLimit = 2_000 });

        // No job has a due date, so nothing is late; the search goes on shortening the makespan (the tie-break).
        Assert.Contains(result.Reason, new[] { StopReason.Optimal, StopReason.IterationLimit });
        Assert.Equal(0, result.Best.Objective);
    }

    [Fact]
    public void Zero_tardiness_does_not_stop_the_search_before_the_makespan_tie_break_is_settled()
    {
        // Machine 0 is down until 1000; machine 1 can run the same operation now. Both are on time (due 5000).
        var instance = new ShopInstance(2,
        [
            new ShopJob([new ShopOperation([new MachineOption(0, 10), new MachineOption(1, 10)])], Due: 5000),
        ], downtime: [[new TimeWindow(0, 1000)], []]);

        var result = SolveAndCheck(instance, Budget with { Objective = Objective.TotalWeightedTardiness });

        Assert.Equal(0, result.Best.WeightedTardiness);
        Assert.Equal(10, result.Best.Makespan);
        Assert.Equal(StopReason.Optimal, result.Reason);
    }

    [Fact]
    public void Jobs_that_visit_a_machine_twice_and_zero_durations_still_give_valid_schedules()
    {
        // Job 0 runs on machine 0 twice in a row (3, 2) then on machine 1 (4); job 1 has a zero-length step on machine 1,
        // then 3 on machine 0 and 1 on machine 1. Job 0 alone takes 9, but then job 1's last step waits for machine 1
        // until 9: 10. Putting job 1's machine-0 step anywhere earlier delays job 0 by 3: 12 or more. Optimum 10.
        var instance = Parsing.JobShopFile.Parse("2 2\n0 3 0 2 1 4\n1 0 0 3 1 1\n");

        var result = SolveAndCheck(instance, Budget);

        Assert.Equal(10, result.Best.Objective);
    }
}
