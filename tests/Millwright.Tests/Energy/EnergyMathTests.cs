using Millwright.Features.Energy;
using Millwright.Features.States;

namespace Millwright.Tests.Energy;

public sealed class EnergyMathTests
{
    private const long M = EnergyMath.Minute;

    private static StateIntervalRow Interval(string state, long from, long? to) => new() { State = state, StartAt = from, EndAt = to };

    [Fact]
    public void A_minute_belongs_to_the_state_it_starts_in_and_minutes_outside_every_interval_are_unattributed()
    {
        var states = new[] { Interval("running", 10 * M, 20 * M), Interval("idle", 20 * M, 30 * M), Interval("offline", 30 * M, null) };
        var minutes = new List<(long, double)> { (5 * M, 1), (10 * M, 2), (19 * M, 3), (20 * M, 4), (29 * M, 5), (40 * M, 6) };

        var byState = EnergyMath.ByState(minutes, states);

        Assert.Equal(1, byState[""]);
        Assert.Equal(5, byState["running"]);
        Assert.Equal(9, byState["idle"]);
        Assert.Equal(6, byState["offline"]);
    }

    [Fact]
    public void The_demand_peak_is_the_busiest_aligned_quarter_hour_times_four_and_the_earliest_wins_a_tie()
    {
        var demand = new SortedDictionary<long, double>();
        EnergyMath.AddDemand([(0, 1), (14 * M, 2), (15 * M, 1), (29 * M, 2), (31 * M, 0.5)], demand);

        Assert.Equal([0, 15 * M, 30 * M], demand.Keys);
        Assert.Equal((0L, 12.0), EnergyMath.Peak(demand));
        Assert.Null(EnergyMath.Peak(new SortedDictionary<long, double>()));
    }

    [Fact]
    public void Standby_is_idle_planned_stops_and_offline_and_ratios_without_a_denominator_are_null()
    {
        var byState = new Dictionary<string, double> { ["running"] = 6, ["idle"] = 1, ["planned_stop"] = 1, ["offline"] = 1, ["setup"] = 0.5, ["down"] = 0.5 };

        var figures = EnergyMath.Figures(byState, new SortedDictionary<long, double> { [0] = 2.5 }, goodUnits: 5);
        var empty = EnergyMath.Figures(new Dictionary<string, double>(), new SortedDictionary<long, double>(), goodUnits: 0);

        Assert.Equal(10, figures.Kwh);
        Assert.Equal(3, figures.StandbyKwh);
        Assert.Equal(0.6, figures.EnergyUtilization!.Value, 12);
        Assert.Equal(2, figures.KwhPerGoodUnit);
        Assert.Equal(10, figures.PeakDemandKw);
        Assert.Null(empty.EnergyUtilization);
        Assert.Null(empty.KwhPerGoodUnit);
        Assert.Null(empty.PeakDemandKw);
    }
}
