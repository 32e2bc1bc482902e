using System.Net;
using Millwright.Api;
using Millwright.Cli;
using Millwright.Features.Production;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cli;

/// <summary>
/// The tailoring cell in <c>simulate --tailoring-cell N</c> and <c>demo</c>: a cutter, sewing stations and finishing
/// beside the fleet, given their capabilities and the made-to-measure product by the demo's shop, and the demo's
/// feed placing made-to-measure orders that the cell cuts, sews and finishes to completion.
/// </summary>
public sealed class DemoTailoringTests
{
    // The cell a hundred times faster than the demo's: a jacket's 25 m of cut line in a second, its seams in about two.
    private static readonly TailoringPace TestPace = new() { KnifeMmPerSecond = 25_000, SewingMmPerSecond = 10_000, HandlingSecondsPerPiece = 0.05 };

    [Fact]
    public void Simulate_with_a_tailoring_cell_provisions_a_cutter_sewing_stations_and_finishing_beside_the_fleet()
    {
        var broker = new BrokerAddress("127.0.0.1", 1883, "acme");
        var api = new Uri("http://127.0.0.1:5080");

        var plan = new SimulateArguments(3, broker, api, "key", TimeSpan.FromSeconds(1), 1, 15020, null, SewingStations: 2).Plan();

        Assert.Equal(FleetPlan.Create(3).Select(m => m.Name).Concat(new[] { "cut-001", "sew-001", "sew-002", "fin-001" }), plan.Select(m => m.Name));
        Assert.All(plan.Skip(3), m => Assert.Equal((FleetPlan.FactorySite, FleetPlan.TailoringArea, Protocol.MqttJson), (m.Site, m.Area, m.Protocol)));
        Assert.Equal(FleetPlan.Create(3), new SimulateArguments(3, broker, api, "key", TimeSpan.FromSeconds(1), 1, 15020).Plan());
    }

    [Fact]
    public async Task Made_to_measure_orders_from_the_demo_feed_are_cut_sewn_and_finished_by_the_tailoring_cell()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: o => TestEgress.AllowLoopback(o) with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(5) },
        });
        using var t = await host.CreateTenantAsync("demo");
        // Eight machines have every kind the demo's products need (the shop's routings are checked against them).
        var arguments = new SimulateArguments(8, new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug), host.BaseAddress, t.AdminKey,
            TimeSpan.FromMilliseconds(100), 1, 15020, new JobMode(Platform: host.BaseAddress, Tailoring: TestPace), SewingStations: 2);
        IReadOnlyList<ProvisionedMachine> machines;
        using (var api = PlatformApi.Create(host.BaseAddress, t.AdminKey))
        {
            machines = await new Provisioner(api, _ => { }).ProvisionAsync(arguments.Plan(), "127.0.0.1", 15020, CancellationToken.None);
        }

        var seed = await DemoProduction.SeedAsync(new Sessions(host.Database, TimeProvider.System), t.Id, machines, 0.01, CancellationToken.None);
        Assert.Contains(DemoCatalog.MadeToMeasure.Sku, seed.ItemIds.Keys);
        long Id(string name) => machines.Single(m => m.Name == name).Id;
        Assert.Equal("cutting", (await t.Viewer.GetJsonAsync($"/api/v1/machines/{Id("cut-001")}/capabilities"))["capabilities"]![0]!.GetValue<string>());

        using var stop = new CancellationTokenSource();
        var json = machines.Where(m => m.Protocol is Protocol.MqttJson or Protocol.Sparkplug).ToList();
        var factory = new VirtualFactory(json, arguments.Broker, IPAddress.Loopback, arguments.Interval, arguments.Seed, TimeProvider.System, arguments.Jobs);
        var running = factory.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) + factory.Stats.Connected(Protocol.Sparkplug) >= json.Count,
            "the fleet's MQTT JSON and Sparkplug machines and the tailoring cell connected");

        using var output = new StringWriter();
        var feed = new DemoOrderFeed(t.Operator, output, TimeProvider.System, seed: 5);
        var jacket = await feed.ReleaseMadeToMeasureAsync(0, CancellationToken.None);
        var skirt = await feed.ReleaseMadeToMeasureAsync(1, CancellationToken.None);
        Assert.True(jacket is not null && skirt is not null, output.ToString());
        Assert.Equal(("jacket", "skirt"), (jacket["madeToMeasure"]!["garment"]!.GetValue<string>(), skirt["madeToMeasure"]!["garment"]!.GetValue<string>()));
        Assert.Equal(new[] { "A. Lindqvist", "J. Moreau" }, (await t.Viewer.ListAsync("/api/v1/c2m/customers")).Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("made-to-measure order", output.ToString(), StringComparison.Ordinal);

        foreach (var placed in new[] { jacket, skirt })
        {
            var order = await Eventually.ValueAsync(
                () => t.Viewer.GetJsonAsync($"/api/v1/orders/{placed["order"]!.Id()}"), o => o["status"]!.GetValue<string>() == OrderStatus.Completed,
                $"the made-to-measure {placed["madeToMeasure"]!["garment"]} completed ({factory.StatusLine(0, TimeSpan.Zero)})", TimeSpan.FromSeconds(90));
            var jobs = order["jobs"]!.AsArray().Select(j => j!["machine"]!.GetValue<string>()).ToArray();
            Assert.Equal("cut-001", jobs[0]);
            Assert.StartsWith("sew-", jobs[1], StringComparison.Ordinal);
            Assert.Equal("fin-001", jobs[2]);
        }

        await stop.CancelAsync();
        await running;
    }
}
