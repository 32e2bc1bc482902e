using System.Net;
using Millwright.Cli;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;
using Millwright.Tests.Maintenance;

namespace Millwright.Tests.Cli;

/// <summary>
/// The demo's maintenance crew: a maintenance stop in the calendar that has begun is carried out on the simulated
/// machine (its part renewed), and once over it is confirmed through the platform's maintenance-record route, so the
/// machine's risk starts again from a new part; a stop is carried out and confirmed once.
/// </summary>
public abstract class DemoMaintenanceCrewTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_begun_maintenance_stop_is_carried_out_on_the_machine_and_confirmed_over_rest_once_it_is_over()
    {
        using var t = await Host.CreateTenantAsync();
        using var api = PlatformApi.Create(Host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 15020, CancellationToken.None);
        var cnc = Assert.Single(machines);
        Assert.Equal(Protocol.MqttJson, cnc.Protocol);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, new BrokerAddress("127.0.0.1", Host.MqttEndPoint.Port, t.Slug), IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System);
        var running = factory.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) == 1, "the machine connected");
            var machine = factory.Runners.Single();
            var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();
            var from = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
            var to = from.AddSeconds(5);
            await t.Operator.PutJsonAsync($"/api/v1/sites/{site}/calendar", new
            {
                plannedStops = new[] { new { from, to, machineId = cnc.Id, reason = "predictive maintenance (vibration)" } },
            }, HttpStatusCode.OK);
            using var output = new StringWriter();
            var crew = new DemoMaintenanceCrew(t.Operator, new Dictionary<long, MachineRunner> { [cnc.Id] = machine }, output, TimeProvider.System);

            // Begun: the crew renews the part and the machine stands in maintenance; nothing is confirmed while the stop lasts.
            await crew.PassAsync(CancellationToken.None);
            Assert.Equal(1, machine.Machine.Wear!.Maintenances);
            Assert.Contains("cnc-001's part renewed in its planned stop", output.ToString(), StringComparison.Ordinal);
            Assert.Empty(await t.Viewer.ListAsync($"/api/v1/machines/{cnc.Id}/maintenance-records"));

            // Over: the operator confirms it, naming the stop.
            await Eventually.TrueAsync(async () =>
            {
                await crew.PassAsync(CancellationToken.None);
                return crew.Confirmed == 1;
            }, "the stop confirmed once it was over", TimeSpan.FromSeconds(30));
            var record = Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{cnc.Id}/maintenance-records"))!;
            Assert.Equal(("maintenance", from), (record["kind"]!.GetValue<string>(), record["plannedStopFrom"]!.GetValue<DateTimeOffset>()));
            var risk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{cnc.Id}/risk");
            Assert.Equal(record.Id(), risk["lastMaintenance"]!.Id());
            Assert.Null(risk["unconfirmedStop"]);

            // Done is done: later passes neither maintain again nor record twice.
            await crew.PassAsync(CancellationToken.None);
            Assert.Equal(1, machine.Machine.Wear.Maintenances);
            Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{cnc.Id}/maintenance-records"));
            Assert.Contains("cnc-001's stop from", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task A_part_the_platform_advises_renewing_during_a_stop_is_renewed_on_the_machine_and_recorded_as_maintenance_outside_a_planned_stop()
    {
        using var t = await Host.CreateTenantAsync();
        using var api = PlatformApi.Create(Host.BaseAddress, t.AdminKey);
        var cnc = Assert.Single(await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 15020, CancellationToken.None));

        // A type's history: a and b broke down after their vibration rose, c is worn on the same path, d is steady.
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await WearHistory.DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var (from, to) = (DateTimeOffset.FromUnixTimeMilliseconds(now - (10 * 60_000)), DateTimeOffset.FromUnixTimeMilliseconds(now + (3 * WearHistory.Hour)));
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from, to, machineId = (long?)null, reason = "mould change" } },
        }, HttpStatusCode.OK);
        Assert.True((await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk"))["renewDuringStop"]!.GetValue<bool>());
        Assert.False((await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[3]}/risk"))["renewDuringStop"]!.GetValue<bool>());

        // Job mode: the simulated machine idles until a job comes, so it is stopped when the crew gets to it.
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory([cnc], new BrokerAddress("127.0.0.1", Host.MqttEndPoint.Port, t.Slug), IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System,
            new global::Millwright.Simulator.Jobs.JobMode());
        var running = factory.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) == 1, "the machine connected");
            var machine = factory.Runners.Single();
            Assert.Equal(global::Millwright.Simulator.Models.MachineState.Idle, machine.Machine.State);
            using var output = new StringWriter();

            // The simulated machine stands for d first: the platform does not advise renewing a steady part, and nothing happens.
            await new DemoMaintenanceCrew(t.Operator, new Dictionary<long, MachineRunner> { [ids[3]] = machine }, output, TimeProvider.System).PassAsync(CancellationToken.None);
            Assert.Equal(0, machine.Machine.Wear!.Maintenances);
            Assert.Empty(await t.Viewer.ListAsync($"/api/v1/machines/{ids[3]}/maintenance-records"));

            // Then for c: its part is renewed during the changeover and recorded as maintenance outside a planned stop.
            var crew = new DemoMaintenanceCrew(t.Operator, new Dictionary<long, MachineRunner> { [ids[2]] = machine }, output, TimeProvider.System);
            await crew.PassAsync(CancellationToken.None);
            Assert.Equal((1, 1), (machine.Machine.Wear.Maintenances, crew.RenewedDuringStops));
            Assert.Contains("part renewed during a stop, as the platform advised, and recorded", output.ToString(), StringComparison.Ordinal);
            var record = Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{ids[2]}/maintenance-records"))!;
            Assert.Equal("maintenance", record["kind"]!.GetValue<string>());
            Assert.Null(record["plannedStopFrom"]);
            var risk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
            Assert.Equal(("new-part", record.Id()), (risk["status"]!.GetValue<string>(), risk["lastMaintenance"]!.Id()));
            Assert.Null(risk["renewDuringStop"]);

            // The part is new now: a later pass neither renews nor records again.
            await crew.PassAsync(CancellationToken.None);
            Assert.Equal(1, machine.Machine.Wear.Maintenances);
            Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{ids[2]}/maintenance-records"));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task A_renewal_advised_during_a_stop_is_not_done_on_a_machine_running_again_when_the_crew_gets_to_it()
    {
        using var t = await Host.CreateTenantAsync();
        using var api = PlatformApi.Create(Host.BaseAddress, t.AdminKey);
        var cnc = Assert.Single(await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 15020, CancellationToken.None));
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await WearHistory.DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from = DateTimeOffset.FromUnixTimeMilliseconds(now - (10 * 60_000)), to = DateTimeOffset.FromUnixTimeMilliseconds(now + (3 * WearHistory.Hour)), machineId = (long?)null, reason = "mould change" } },
        }, HttpStatusCode.OK);
        Assert.True((await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk"))["renewDuringStop"]!.GetValue<bool>());

        // A factory seed whose CNC is mid-run and still running ten minutes on (the simulated machine's own spell).
        var seed = Enumerable.Range(1, 200).First(s =>
        {
            var clock = new ManualClock();
            var probe = global::Millwright.Simulator.Models.MachineFactory.Create(global::Millwright.Simulator.Models.MachineKind.Cnc, cnc.Name, unchecked(s * 100_003), clock);
            var runs = probe.State == global::Millwright.Simulator.Models.MachineState.Running;
            for (var minute = 0; minute < 10 && runs; minute++)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                probe.Tick();
                runs = probe.State == global::Millwright.Simulator.Models.MachineState.Running;
            }

            return runs;
        });
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory([cnc], new BrokerAddress("127.0.0.1", Host.MqttEndPoint.Port, t.Slug), IPAddress.Loopback, TimeSpan.FromMilliseconds(100), seed, TimeProvider.System);
        var running = factory.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) == 1, "the machine connected");
            var machine = factory.Runners.Single();
            using var output = new StringWriter();

            // The platform advises renewing c's part during the stop, but the machine the crew finds is running: no stop of its own.
            var crew = new DemoMaintenanceCrew(t.Operator, new Dictionary<long, MachineRunner> { [ids[2]] = machine }, output, TimeProvider.System);
            await crew.PassAsync(CancellationToken.None);
            Assert.Equal((0, 0, global::Millwright.Simulator.Models.MachineState.Running, false),
                (machine.Machine.Wear!.Maintenances, crew.RenewedDuringStops, machine.Machine.State, machine.Machine.InMaintenance));
            Assert.Contains("refused a renewal during its stop (running again", output.ToString(), StringComparison.Ordinal);
            Assert.Empty(await t.Viewer.ListAsync($"/api/v1/machines/{ids[2]}/maintenance-records"));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    public sealed class OnSqlite(MqttSqliteHost host) : DemoMaintenanceCrewTests(host), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host) : DemoMaintenanceCrewTests(host), IClassFixture<MqttPostgresHost>;
}
