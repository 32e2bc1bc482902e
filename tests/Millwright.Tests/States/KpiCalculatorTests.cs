using Millwright.Features.Calendars;
using Millwright.Features.Kpis;
using Millwright.Features.States;

namespace Millwright.Tests.States;

/// <summary>The KPI arithmetic alone, on figures small enough to check by eye.</summary>
public sealed class KpiCalculatorTests
{
    private const long Hour = 3_600_000;

    private static StateIntervalRow Interval(string state, long start, long? end) => new() { State = state, StartAt = start, EndAt = end };

    private static StateRuleSet Rules(double? ideal, Dictionary<string, double>? byProgram = null) =>
        StateRuleSet.Default with { IdealCycleSeconds = ideal, IdealCycleByProgram = byProgram ?? [], ProgramTag = byProgram is null ? null : "program" };

    private static PlannedTime Planned(params Interval[] busy) => new(busy, [], busy);

    [Fact]
    public void Ideal_time_is_summed_per_program_with_the_types_time_as_fallback()
    {
        // Planned 0-2 h, running all of it. Program A: 100 parts at 30 s; program B: 50 parts at the type's 60 s.
        var inputs = KpiCalculator.Inputs(Planned(new Interval(0, 2 * Hour)), [Interval("running", 0, 2 * Hour)],
            [new CountBucket(0, "A", 100, 0, 0), new CountBucket(60_000, "B", 50, 5, 0)],
            Rules(60, new() { ["A"] = 30 }), 0, 2 * Hour, 2 * Hour);

        Assert.Equal(100 * 30 + 50 * 60, inputs.IdealTime);                     // 6,000 s
        var kpis = KpiCalculator.Compute(inputs);
        Assert.Equal(6_000.0 / 7_200, kpis.Effectiveness!.Value, 12);           // ideal time / APT
        Assert.Equal(145.0 / 150, kpis.QualityRatio!.Value, 12);
        Assert.Equal(75, kpis.ThroughputRate!.Value, 12);                       // 150 units / 2 h
    }

    [Fact]
    public void Effectiveness_is_unknown_when_a_machine_ran_without_an_ideal_cycle_time()
    {
        var inputs = KpiCalculator.Inputs(Planned(new Interval(0, Hour)), [Interval("running", 0, Hour)],
            [new CountBucket(0, "", 10, 0, 0)], Rules(null), 0, Hour, Hour);

        var kpis = KpiCalculator.Compute(inputs);
        Assert.Equal(1, kpis.Availability);
        Assert.Null(kpis.Effectiveness);
        Assert.Null(kpis.Oee);
        Assert.Equal(1, kpis.QualityRatio);
    }

    [Fact]
    public void Time_outside_planned_busy_time_and_counts_in_unplanned_minutes_are_left_out()
    {
        // Planned 1-2 h only. Running 0-3 h: APT is the planned hour. A down interval from 0.5 h began before the
        // planned time, so it is no failure event of it. Counts at 0.5 h (unplanned) and 1.5 h (planned).
        var inputs = KpiCalculator.Inputs(Planned(new Interval(Hour, 2 * Hour)),
            [Interval("down", Hour / 2, Hour), Interval("running", Hour, 3 * Hour)],
            [new CountBucket(Hour / 2, "", 7, 0, 0), new CountBucket(3 * Hour / 2, "", 3, 1, 2)], Rules(60), 0, 3 * Hour, 3 * Hour);

        Assert.Equal(3_600, inputs.Apt);
        Assert.Equal(0, inputs.Adet);
        Assert.Equal(0, inputs.Fe);
        Assert.Equal(3, inputs.Pq);
        Assert.Equal(1.0, KpiCalculator.Compute(inputs).EnergyPerGoodUnit);  // 2 energy units / 2 good parts
    }

    [Fact]
    public void An_open_interval_counts_up_to_now()
    {
        // Planned 0-4 h, running since 0 and still open; now is 1.5 h into it.
        var inputs = KpiCalculator.Inputs(Planned(new Interval(0, 4 * Hour)), [Interval("running", 0, null)], [], Rules(60), 0, 4 * Hour, 3 * Hour / 2);
        Assert.Equal(5_400, inputs.Apt);
        Assert.Equal(0.375, KpiCalculator.Compute(inputs).Availability);      // 1.5 h of 4 h planned
    }

    [Theory]
    [InlineData(null, 5.0, 0.0)]     // the first reading is a baseline
    [InlineData(100.0, 130.0, 30.0)] // a normal increase
    [InlineData(460.0, 5.0, 5.0)]    // a reset: everything shown was counted since
    [InlineData(7.0, 7.0, 0.0)]
    public void Counter_increases_survive_resets(double? previous, double current, double increase) =>
        Assert.Equal(increase, MachineTrack.Increase(previous, current));
}
