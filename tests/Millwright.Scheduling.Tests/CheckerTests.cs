using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Tests;

/// <summary>The independent checker catches every kind of violation, each in a schedule that is right but for it.</summary>
public sealed class CheckerTests
{
    // Job 0: machine 0 for 3, then machine 1 (or 0) for 2. Job 1 (released at 1, due 6, weight 2): machine 1 for 4.
    private static ShopInstance Instance(SetupTimes? setups = null, IReadOnlyList<IReadOnlyList<TimeWindow>>? downtime = null) => new(2,
    [
        new ShopJob([ShopOperation.On(0, 3), new ShopOperation([new(1, 2), new(0, 5)])]),
        new ShopJob([ShopOperation.On(1, 4)], Release: 1, Due: 6, Weight: 2),
    ], setups, downtime);

    private static Schedule Schedule(params ScheduledOperation[][] jobs) => new(jobs);

    private static readonly Schedule Valid = Schedule([new(0, 0), new(1, 5)], [new(1, 1)]);

    [Fact]
    public void A_valid_schedule_passes_and_its_makespan_and_tardiness_are_recomputed()
    {
        var result = ScheduleChecker.Check(Instance(), Valid);

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(7, result.Makespan);
        Assert.Equal(0, result.TotalWeightedTardiness);
    }

    [Fact]
    public void Weighted_tardiness_counts_weight_times_lateness()
    {
        var result = ScheduleChecker.Check(Instance(), Schedule([new(0, 0), new(0, 3)], [new(1, 4)]));

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(2 * (8 - 6), result.TotalWeightedTardiness);
    }

    [Fact]
    public void An_operation_before_its_job_predecessor_ends_is_caught()
    {
        var result = ScheduleChecker.Check(Instance(), Schedule([new(0, 0), new(1, 2)], [new(1, 5)]));

        Assert.Contains(result.Violations, v => v.Contains("before operation 0 ends at 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_operations_overlapping_on_a_machine_are_caught()
    {
        var result = ScheduleChecker.Check(Instance(), Schedule([new(0, 0), new(1, 3)], [new(1, 1)]));

        Assert.Contains(result.Violations, v => v.StartsWith("machine 1:", StringComparison.Ordinal) && v.Contains("overlaps", StringComparison.Ordinal));
    }

    [Fact]
    public void A_machine_the_operation_may_not_use_is_caught()
    {
        var result = ScheduleChecker.Check(Instance(), Schedule([new(1, 0), new(1, 5)], [new(1, 1)]));

        Assert.Contains(result.Violations, v => v.Contains("job 0 operation 0 is on machine 1, which may not run it", StringComparison.Ordinal));
    }

    [Fact]
    public void A_start_before_the_release_date_is_caught()
    {
        var result = ScheduleChecker.Check(Instance(), Schedule([new(0, 0), new(1, 5)], [new(1, 0)]));

        Assert.Contains(result.Violations, v => v.Contains("before the job's release 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Work_inside_downtime_is_caught()
    {
        var instance = Instance(downtime: [[new TimeWindow(2, 4)], []]);

        var result = ScheduleChecker.Check(instance, Valid);

        Assert.Contains(result.Violations, v => v.Contains("overlaps downtime 2..4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_setup_that_does_not_fit_between_two_operations_is_caught()
    {
        // Job 0's second operation on machine 0 right after its first (family 0 to family 0) needs a setup of 2.
        var setups = new SetupTimes(2, 1, (_, _, _) => 2);
        var instance = Instance(setups);

        var tight = ScheduleChecker.Check(instance, Schedule([new(0, 2), new(0, 5)], [new(1, 3)]));
        var roomy = ScheduleChecker.Check(instance, Schedule([new(0, 2), new(0, 7)], [new(1, 3)]));

        Assert.Contains(tight.Violations, v => v.Contains("(setup 2, start 5) overlaps job 0 operation 0", StringComparison.Ordinal));
        Assert.True(roomy.IsValid, string.Join("; ", roomy.Violations));
    }

    [Fact]
    public void A_first_setup_that_would_start_before_time_zero_is_caught()
    {
        var setups = new SetupTimes(2, 1, (_, _, _) => 1);

        var result = ScheduleChecker.Check(Instance(setups), Schedule([new(0, 0), new(1, 5)], [new(1, 1)]));

        Assert.Contains(result.Violations, v => v.Contains("would start before time 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Setup_time_inside_downtime_is_caught()
    {
        var setups = new SetupTimes(2, 1, (_, _, _) => 2);
        var instance = Instance(setups, [[new TimeWindow(0, 1)], []]);

        var result = ScheduleChecker.Check(instance, Schedule([new(0, 2), new(1, 5)], [new(1, 3)]));

        Assert.Contains(result.Violations, v => v.Contains("overlaps downtime 0..1", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_jobs_or_operations_are_caught()
    {
        Assert.Contains("the instance 2", ScheduleChecker.Check(Instance(), new Schedule([[new(0, 0), new(1, 5)]])).Violations.Single(), StringComparison.Ordinal);
        Assert.Contains(ScheduleChecker.Check(Instance(), Schedule([new(0, 0)], [new(1, 1)])).Violations,
            v => v.Contains("job 0 has 1 scheduled operations, the instance 2", StringComparison.Ordinal));
    }
}
