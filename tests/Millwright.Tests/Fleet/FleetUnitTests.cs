using Millwright.Simulator.Fleet;
using Millwright.Testing;

namespace Millwright.Tests.Fleet;

/// <summary>The simulated fleet machine of <c>simulate --fleet</c>: plausible movements and counters that only grow.</summary>
public sealed class FleetUnitTests
{
    [Fact]
    public void Over_four_days_a_machine_drives_works_idles_and_parks_inside_the_country_with_counters_that_only_grow()
    {
        var clock = new ManualClock();
        var layout = FleetLayout.Create(2000, 2, seed: 7);
        var unit = new FleetUnit("fleet-000001", 0, 42, layout, clock.Now);
        var phases = new HashSet<FleetPhase>();
        Dictionary<string, double>? before = null;
        var counters = new[] { "engine_hours", "idle_hours", "fuel_used", "odometer", "load_count", "payload_total", "pto_hours" };
        for (var step = 0; step < 4 * 24 * 120; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            unit.Advance(clock.Now);
            phases.Add(unit.Phase);
            var values = unit.Metrics(clock.Now).Where(m => m.Value is not bool).ToDictionary(m => m.Name, m => Convert.ToDouble(m.Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(values["latitude"], 43.3, 50.8);
            Assert.InRange(values["longitude"], -1.3, 7.6);
            Assert.InRange(values["fuel_level"], 0, 100);
            Assert.Equal(unit.EngineRunning, unit.Metrics(clock.Now).Single(m => m.Name == "engine_running").Value);
            if (before is not null)
            {
                Assert.All(counters, c => Assert.True(values[c] >= before[c], $"{c} went from {before[c]} to {values[c]}"));
            }

            before = values;
        }

        Assert.Equal([FleetPhase.Parked, FleetPhase.Travelling, FleetPhase.Working, FleetPhase.Idle], phases.Order());
        Assert.True(before!["odometer"] > 0 && before["load_count"] > 0 && before["fuel_used"] > 0);
    }

    [Fact]
    public void Depots_and_job_sites_come_from_the_seed_and_each_depot_works_its_nearest_sites()
    {
        var a = FleetLayout.Create(100_000, FleetLayout.DepotCount(100_000), seed: 1);
        var b = FleetLayout.Create(100_000, FleetLayout.DepotCount(100_000), seed: 1);

        Assert.Equal(100, a.Depots.Count);
        Assert.Equal(500, a.Sites.Count);
        Assert.Equal(a.Depots, b.Depots);
        var depot = a.Depots[3];
        var nearest = a.Sites.Select((s, i) => (Km: FleetGeometry.Kilometres(depot, s), i)).OrderBy(x => x.Km).Take(FleetLayout.NearSites).Select(x => x.i);
        Assert.Equal(nearest, a.NearSitesOfDepot[3]);
    }

    [Fact]
    public void Stored_latencies_give_percentiles_by_the_millisecond()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms - 0.5));
        }

        Assert.Equal(50, histogram.Percentile(0.5));
        Assert.Equal(99, histogram.Percentile(0.99));
        Assert.Equal(100, histogram.Percentile(1));
    }
}
