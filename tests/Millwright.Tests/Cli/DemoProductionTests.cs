using System.Net;
using System.Text.Json.Nodes;
using Millwright.Api;
using Millwright.Cli;
using Millwright.Features.Production;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cli;

/// <summary>
/// The demo's production: the shop seeded on the virtual factory's machines, and the order feed whose orders the
/// planner dispatches to simulated machines. A fleet of 8 has every kind and protocol: cnc-001, emb-001, sp3d-001,
/// imm-002 and emb-002 on MQTT JSON, imm-001 on Sparkplug, cnc-002 on Modbus and the excavator exc-001.
/// </summary>
public sealed class DemoProductionTests
{
    private const int Fleet = 8;

    [Fact]
    public async Task Seeding_twice_creates_the_shop_once_and_gives_capabilities_only_to_job_taking_machines()
    {
        await using var host = await TestHost.StartAsync(postgres: false, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("demo");
        var machines = await ProvisionAsync(host, t);
        var sessions = new Sessions(host.Database, TimeProvider.System);

        var first = await DemoProduction.SeedAsync(sessions, t.Id, machines, 1, CancellationToken.None);
        var counts = await CountsAsync(sessions, t.Id);
        var second = await DemoProduction.SeedAsync(sessions, t.Id, machines, 1, CancellationToken.None);

        Assert.Equal((7, DemoCatalog.Materials.Count + DemoCatalog.Products.Count, DemoCatalog.Products.Count, DemoCatalog.Materials.Count),
            (first.Capabilities, first.Items, first.Routings, first.Receipts));
        Assert.Equal((0, 0, 0, 0), (second.Capabilities, second.Items, second.Routings, second.Receipts));
        Assert.Equal(first.ItemIds, second.ItemIds);
        Assert.Equal(DemoCatalog.Materials.Select(m => m.Sku).Concat(DemoCatalog.Products.Select(p => p.Sku)).Order(), first.ItemIds.Keys.Order());
        Assert.Equal(counts, await CountsAsync(sessions, t.Id));
        Assert.Equal((7L, 9L, 5L, 4L), counts);
        foreach (var m in machines)
        {
            var expected = m.Plan.Kind != MachineKind.Construction ? new[] { DemoCatalog.CapabilityOf(m.Plan)! } : [];
            var actual = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{m.Id}/capabilities"))["capabilities"]!.AsArray().Select(c => c!.GetValue<string>());
            Assert.Equal(expected, actual);
        }

        var offered = (await t.Viewer.GetJsonAsync("/api/v1/capabilities")).AsArray().Select(c => c!["capability"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(DemoCatalog.Products.SelectMany(p => p.Steps).Select(s => s.Capability).ToHashSet(), offered);
        var stock = await t.Viewer.GetJsonAsync("/api/v1/inventory/stock");
        Assert.Equal(500, stock.AsArray().Single(s => s!["sku"]!.GetValue<string>() == "ALU-6082")!["quantity"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_feed_releases_an_order_and_none_while_its_bound_of_open_orders_is_reached()
    {
        await using var host = await TestHost.StartAsync(postgres: false, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("demo");
        var machines = await ProvisionAsync(host, t);
        await DemoProduction.SeedAsync(new Sessions(host.Database, TimeProvider.System), t.Id, machines, 1, CancellationToken.None);
        using var output = new StringWriter();
        var feed = new DemoOrderFeed(t.Operator, output, TimeProvider.System, seed: 7, maxOpen: 1);

        var order = await feed.ReleaseOneAsync(CancellationToken.None);
        var skipped = await feed.ReleaseOneAsync(CancellationToken.None);

        Assert.NotNull(order);
        Assert.True(OrderStatus.IsOpen(order["status"]!.GetValue<string>()), order.ToJsonString());
        var due = order["dueAt"]!.GetValue<DateTimeOffset>() - DateTimeOffset.UtcNow;
        Assert.InRange(due, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(61));
        Assert.Null(skipped);
        Assert.Single(await t.Viewer.ListAsync("/api/v1/orders"));
        Assert.Contains($"order {order["number"]} released", output.ToString(), StringComparison.Ordinal);
        Assert.True(output.ToString().Contains("1 orders open; the next waits", StringComparison.Ordinal), output.ToString());
    }

    [Fact]
    public async Task An_order_from_the_feed_is_planned_dispatched_and_completed_by_the_virtual_factory_consuming_its_material()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: o => TestEgress.AllowLoopback(o) with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3) },
        });
        using var t = await host.CreateTenantAsync("demo");
        var machines = await ProvisionAsync(host, t);
        // The demo's products a hundred times faster: a unit in 0.2-1.8 s instead of 20-180 s.
        await DemoProduction.SeedAsync(new Sessions(host.Database, TimeProvider.System), t.Id, machines, 0.01, CancellationToken.None);
        var json = machines.Where(m => m.Protocol is Protocol.MqttJson or Protocol.Sparkplug).ToList();
        var broker = new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(json, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, new JobMode());
        var running = factory.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) + factory.Stats.Connected(Protocol.Sparkplug) >= json.Count,
            "every MQTT JSON and Sparkplug machine connected");

        var order = await new DemoOrderFeed(t.Operator, TextWriter.Null, TimeProvider.System, seed: 3).ReleaseOneAsync(CancellationToken.None);
        Assert.NotNull(order);
        var now = await Eventually.ValueAsync(
            () => t.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"), o => o["status"]!.GetValue<string>() == OrderStatus.Completed,
            "the demo order completed", TimeSpan.FromSeconds(90));

        await stop.CancelAsync();
        await running;
        Assert.True(now["good"]!.GetValue<long>() >= now["quantity"]!.GetValue<long>(), now.ToJsonString());
        Assert.All(now["jobs"]!.AsArray(), j => Assert.Contains(j!["machine"]!.GetValue<string>(), json.Select(m => m.Name)));
        var sku = (await t.Viewer.GetJsonAsync($"/api/v1/inventory-items/{now["itemId"]}"))["sku"]!.GetValue<string>();
        var material = DemoCatalog.Products.Single(p => p.Sku == sku).Steps[0].Material;
        var materialId = (await t.Viewer.ListAsync($"/api/v1/inventory-items?sku={material}")).Single(i => i!["sku"]!.GetValue<string>() == material)!.Id();
        var movements = await t.Viewer.ListAsync($"/api/v1/inventory/movements?itemId={materialId}");
        Assert.Contains(movements, m => m!["kind"]!.GetValue<string>() == "issue");
    }

    private static async Task<IReadOnlyList<ProvisionedMachine>> ProvisionAsync(TestHost host, TestTenant t)
    {
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        return await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(Fleet), "127.0.0.1", 15020, CancellationToken.None);
    }

    private static Task<(long Capabilities, long Items, long Routings, long Movements)> CountsAsync(Sessions sessions, long tenant) =>
        sessions.RunAsync(Millwright.Security.Caller.CommandLine(tenant), async s => (
            await s.ScalarAsync<long>("SELECT COUNT(*) FROM machine_capabilities WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.ScalarAsync<long>("SELECT COUNT(*) FROM inventory_items WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.ScalarAsync<long>("SELECT COUNT(*) FROM routings WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.ScalarAsync<long>("SELECT COUNT(*) FROM inventory_movements WHERE tenant_id = @Tenant", new { s.Tenant })));
}
