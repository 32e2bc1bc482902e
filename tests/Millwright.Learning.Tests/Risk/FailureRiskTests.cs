using Millwright.Learning.Risk;

namespace Millwright.Learning.Tests.Risk;

public sealed class FailureRiskTests
{
    private static readonly RiskOptions Options = new();
    private static readonly DegradationIndicator Vibration = new("vibration");
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);

    /// <summary>One reading a minute for <paramref name="hours"/> of running; the value at running hour h is <paramref name="value"/>(h).</summary>
    private static List<IndicatorReading> Readings(double hours, Func<double, double> value, int noiseSeed = 1)
    {
        var random = new Random(noiseSeed);
        return Enumerable.Range(0, (int)(hours * 60))
            .Select(m => new IndicatorReading(m * 60_000L, value(m / 60.0) + ((random.NextDouble() - 0.5) * 0.2)))
            .ToList();
    }

    [Fact]
    public void A_part_counts_as_new_until_its_baseline_is_known_and_then_its_excess_follows_the_indicator()
    {
        Assert.False(Degradation.Of(Readings(2.5, _ => 1), Vibration, Options).Known);

        var worn = Degradation.Of(Readings(100, h => 1 + (0.0004 * h * h)), Vibration, Options);
        Assert.True(worn.Known);
        Assert.InRange(worn.Excess, 3.5, 4.2);              // 0.0004 · 99² ≈ 3.9 over a baseline of about 1
        Assert.InRange(worn.Rate, 0.05, 0.1);               // the recent slope, 0.0008 · h ≈ 0.075 per running hour
        Assert.InRange(worn.RunningHours, 99.9, 100);

        var flat = Degradation.Of(Readings(100, _ => 1), Vibration, Options);
        Assert.InRange(flat.Excess, -0.05, 0.05);
    }

    [Fact]
    public void A_part_already_worn_when_its_readings_begin_is_measured_from_the_kinds_healthy_level()
    {
        // Readings start at running hour 60 of the part's life: its own first hours are no healthy baseline.
        var late = Readings(20, h => 1 + (0.0004 * (h + 60) * (h + 60)));
        var own = Degradation.Of(late, Vibration, Options);
        var fromHealthy = Degradation.Of(late, Vibration, Options, healthy: 1);

        Assert.InRange(own.Excess, 0.7, 1.2);               // only the rise since its first hours (about 0.95)
        Assert.InRange(fromHealthy.Excess, 2.3, 2.8);       // 0.0004 · 79² ≈ 2.5 over the kind's healthy 1
        Assert.Equal(1, fromHealthy.Baseline);
        Assert.True(fromHealthy.Known);
        Assert.InRange(fromHealthy.Rate, 0.05, 0.08);       // the recent slope, not the whole excess over 20 h
        Assert.InRange(own.Baseline, 2.4, 2.6);
    }

    [Fact]
    public void A_falling_indicator_and_a_spread_above_a_floor_are_read_in_their_own_way()
    {
        var pressure = Degradation.Of(Readings(60, h => 320 - (0.01 * h * h)), new DegradationIndicator("hydraulic_pressure", Direction: -1), Options);
        Assert.InRange(pressure.Excess, 30, 37);

        // Every third reading is an injection peak whose spread grows; the holding-phase readings are below the floor.
        var random = new Random(4);
        var shots = Enumerable.Range(0, 200 * 60).Select(m => new IndicatorReading(m * 60_000L,
            m % 3 == 0 ? 1200 + ((1 + (m / 60.0 / 50)) * 80 * (random.NextDouble() - 0.5)) : 30)).ToList();
        var spread = Degradation.Of(shots, new DegradationIndicator("injection_pressure", IndicatorStatistic.Spread, Above: 600), Options);
        Assert.True(spread.Excess > 50, $"excess {spread.Excess}");
    }

    [Fact]
    public void The_threshold_is_learned_from_two_failures_or_more_as_a_log_normal()
    {
        Assert.Null(FailureThreshold.Learn([3.0], Options));
        var alike = FailureThreshold.Learn([3.0, 3.0], Options)!;
        Assert.Equal(Options.MinLogSpread, alike.LogSpread);
        Assert.Equal(0.5, alike.FailedBy(3.0), 6);

        var learned = FailureThreshold.Learn([2.0, 3.0, 4.5, double.NaN], Options)!;
        Assert.Equal(3, learned.Failures);
        Assert.Equal(3.0, learned.Median, 6);  // the geometric mean of 2, 3 and 4.5
        Assert.Equal(0, learned.FailedBy(0));
        Assert.True(learned.FailedBy(2) < learned.FailedBy(3) && learned.FailedBy(4.5) < 1);
    }

    [Fact]
    public void Risk_rises_as_the_excess_nears_the_threshold_and_with_the_horizon()
    {
        var threshold = FailureThreshold.Learn([3.6, 4.0, 4.4], Options)!;
        var early = FailureRisk.Estimate(new Degradation(1.0, 0.02, 50, 40), threshold, 0.6, TimeSpan.FromHours(8));
        var late = FailureRisk.Estimate(new Degradation(3.6, 0.08, 150, 140), threshold, 0.6, TimeSpan.FromHours(8));

        Assert.True(early.NextDay < 0.001, $"early {early.NextDay}");
        Assert.True(late.NextShift > 0.05 && late.NextDay > late.NextShift, $"late {late.NextShift} / {late.NextDay}");
        Assert.Equal((threshold.Median - 3.6) / 0.08 / 0.6, late.HoursToMedianFailure!.Value, 6);
        Assert.Equal(1, FailureRisk.Within(new Degradation(40, 0.1, 200, 190), threshold, 0.6, TimeSpan.FromHours(1)));
        Assert.Equal(0, FailureRisk.Within(new Degradation(2, 0, 100, 90), threshold, 0.6, TimeSpan.FromDays(7)));
    }

    [Fact]
    public void Maintenance_goes_in_the_cheapest_slot_before_the_deadline_and_the_latest_of_equals()
    {
        var threshold = FailureThreshold.Learn([3.6, 4.0, 4.4], Options)!;
        var degrading = new Degradation(3.0, 0.05, 120, 110);
        var deadline = MaintenancePlanner.Deadline(Now, degrading, threshold, 0.6, acceptable: 0.05)!.Value;
        Assert.InRange(deadline, Now, Now.AddDays(3));
        Assert.True(FailureRisk.Within(degrading, threshold, 0.6, deadline - Now) <= 0.05 + 1e-6);
        Assert.Null(MaintenancePlanner.Deadline(Now, new Degradation(3.0, 0, 120, 110), threshold, 0.6, 0.05));

        MaintenanceSlot[] slots = [new(Now, 0), new(Now.AddHours(1), 2), new(deadline.AddHours(-1), 0), new(deadline.AddHours(1), 0)];
        Assert.Equal(deadline.AddHours(-1), MaintenancePlanner.Choose(slots, deadline)!.Value.Start);
        Assert.Equal(Now.AddHours(1), MaintenancePlanner.Choose([new(Now.AddHours(1), 2), new(Now.AddHours(2), 3)], deadline)!.Value.Start);
        Assert.Null(MaintenancePlanner.Choose([new(deadline.AddHours(1), 0)], deadline));
    }
}
