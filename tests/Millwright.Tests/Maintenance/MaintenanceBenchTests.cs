using Millwright.Bench;
using Millwright.Features.Kpis;
using Millwright.Features.States;
using Millwright.Simulator.Models;

namespace Millwright.Tests.Maintenance;

/// <summary>
/// The maintenance bench's order stream, KPIs and production (bench/Millwright.Load, <c>bench maintenance</c>):
/// the same seed gives the same orders, the OEE comes from the platform's KPI computation and equals a hand-computed
/// case, and a short run with orders is repeatable and counts what its machines made.
/// </summary>
public sealed class MaintenanceBenchTests
{
    // A Monday midnight, as the bench starts.
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_orders_and_another_seed_others()
    {
        var first = MaintenanceOrders.Draw(3, Monday, 30);
        var again = MaintenanceOrders.Draw(3, Monday, 30);
        var other = MaintenanceOrders.Draw(4, Monday, 30);

        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.NotEqual(first.Select(Describe), other.Select(Describe));

        // 22 working days × 16 h at the set rate: about 830 orders; every one arrives in a shift and is due 16-48 working hours later.
        var expected = 22 * 16 * MaintenanceOrders.ArrivalsPerHour;
        Assert.InRange(first.Count, expected * 0.85, expected * 1.15);
        Assert.All(first, o =>
        {
            Assert.True(MaintenancePlant.Working(o.Arrival), $"order {o.Number} arrives at {o.Arrival:u}, outside the shifts");
            Assert.InRange(o.Due - o.Arrival, TimeSpan.FromHours(16), TimeSpan.FromDays(5));
            Assert.True(o.Quantity > 0);
        });
        Assert.Equal(4, first.Select(o => o.Product.Sku).Distinct().Count());
    }

    [Fact]
    public void The_fleet_OEE_is_the_platforms_KPI_computation_and_equals_a_hand_computed_case()
    {
        // Monday's two shifts (06:00-22:00, 16 h planned) of two machines making program O4711 (ideal 60 s a unit):
        // machine 1 sets up 06:00-07:00, runs 07:00-15:00 (8 h, 432 units, 12 scrap), is down 15:00-17:00, runs
        // 17:00-19:00 (2 h, 120 units), idles to the end; machine 2 runs the whole 16 h (900 units, 18 scrap).
        long At(int hour) => Monday.AddHours(hour).ToUnixTimeMilliseconds();
        StateIntervalRow State(long machine, string state, int from, int to) => new() { MachineId = machine, State = state, StartAt = At(from), EndAt = At(to) };
        List<CountBucket> Made(int hour, int units, int scrap) => [new(At(hour), "O4711", units, scrap, 0)];
        var machines = new (long, IReadOnlyList<StateIntervalRow>, IReadOnlyList<CountBucket>)[]
        {
            (1, [State(1, "setup", 6, 7), State(1, "running", 7, 15), State(1, "down", 15, 17), State(1, "running", 17, 19), State(1, "idle", 19, 24)],
                [.. Made(8, 432, 12), .. Made(18, 120, 0)]),
            (2, [State(2, "running", 0, 24)], Made(10, 900, 18)),
        };

        var (inputs, kpis) = MaintenanceShop.FleetKpis(machines, new Dictionary<string, double> { ["O4711"] = 60 }, Monday, Monday.AddDays(1));

        // By hand: planned busy 2 × 16 h; running 10 h + 16 h; ideal time (552 + 900) units × 60 s; good 1,452 − 30.
        var availability = 26.0 / 32;
        var performance = (1_452 * 60.0) / (26 * 3_600);
        var quality = 1_422.0 / 1_452;
        Assert.Equal(32 * 3_600, inputs.Pbt, 6);
        Assert.Equal(1, inputs.Fe);
        Assert.Equal(availability, kpis.Availability!.Value, 9);
        Assert.Equal(performance, kpis.Effectiveness!.Value, 9);
        Assert.Equal(quality, kpis.QualityRatio!.Value, 9);
        Assert.Equal(availability * performance * quality, kpis.Oee!.Value, 9);
    }

    [Fact]
    public void A_short_run_with_orders_repeats_exactly_completes_orders_and_counts_every_unit_its_machines_made()
    {
        // One machine of each kind: a quarter of the stream, which is sized for four.
        var orders = MaintenanceOrders.Draw(5, Monday, 3).Where((_, i) => i % 4 == 0).ToList();

        var (first, made) = RunThreeDays(orders);
        var (again, _) = RunThreeDays(orders);

        Assert.Equal(first, again);
        Assert.Equal(orders.Count, first.Orders!.Received);
        Assert.InRange(first.Orders.Completed, 1, orders.Count);
        Assert.NotNull(first.Kpis!.Oee);
        Assert.InRange(first.Kpis.Oee!.Value, 0.3, 1.0);
        Assert.InRange(first.Kpis.Effectiveness!.Value, 0.8, 1.1);
        // The KPI's produced quantity is every unit the machines with orders made (each counted minute of every counter rise).
        Assert.Equal(made, first.KpiInputs!.Pq);
    }

    [Fact]
    public void The_bench_crew_records_each_maintenance_through_the_platforms_service_and_the_part_starts_again_from_the_record()
    {
        // Three weeks of the fixed interval on one machine of each kind: it maintains at shift ends (the interval is 0.75 of the nominal life).
        var record = new[] { MachineKind.Cnc, MachineKind.InjectionMoulding, MachineKind.SandPrinter, MachineKind.Construction }.ToDictionary(k => k, _ => new KindRecord());
        using var simulation = new MaintenanceSimulation(MaintenancePolicy.Fixed, 2, 1, Monday, record);
        simulation.Run(21, _ => { }, CancellationToken.None);

        Assert.True(simulation.Machines.Sum(m => m.MaintenanceStops) > 0, "no maintenance in three weeks of the fixed interval");
        foreach (var machine in simulation.Machines)
        {
            var stored = simulation.Book.Records(simulation.Book.Ids[machine.Model.Name], machine.Clock);
            Assert.Equal(machine.MaintenanceStops, stored.Count);
            Assert.All(stored, r => Assert.Equal(("maintenance", "bench maintenance crew", null), (r.Kind, r.RecordedBy, r.PlannedStopFrom)));
        }

        // A maintenance now: the stored record renews the part, so its degradation starts again with no readings.
        var running = simulation.Machines.First(m => m.Model.State != MachineState.Down && m.Degradation(new()).RunningHours > 0);
        Assert.True(running.Maintain(TimeSpan.Zero));
        Assert.Equal(0, running.Degradation(new()).RunningHours);
        Assert.Equal(0, running.RunningHoursSinceRenewal);
    }

    private static (MaintenanceOutcome Outcome, double Made) RunThreeDays(IReadOnlyList<BenchOrder> orders)
    {
        var record = new[] { MachineKind.Cnc, MachineKind.InjectionMoulding, MachineKind.SandPrinter, MachineKind.Construction }.ToDictionary(k => k, _ => new KindRecord());
        using var simulation = new MaintenanceSimulation(MaintenancePolicy.RunToFailure, 5, 1, Monday, record, orders: orders);
        var before = simulation.Machines.Where(m => MaintenanceShop.CapabilityOf(m.Kind) is not null).Sum(m => (double)m.Units());
        var outcome = simulation.Run(3, _ => { }, CancellationToken.None);
        return (outcome, simulation.Machines.Where(m => MaintenanceShop.CapabilityOf(m.Kind) is not null).Sum(m => (double)m.Units()) - before);
    }

    private static string Describe(BenchOrder o) => $"{o.Number} {o.Arrival:O} {o.Product.Sku} {o.Quantity} {o.Due:O} {o.Priority}";
}
