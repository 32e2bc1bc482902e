using System.Net;
using System.Text.Json.Nodes;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Embroidery;

/// <summary>
/// Order to machine end to end: a design is uploaded, N pieces of it are ordered, the planner dispatches the job
/// through the machine-command port, the virtual factory's embroidery machine fetches the stitch file with its
/// device credential, sews it at its pace (with thread breaks), and the order completes through production.
/// </summary>
public abstract class EmbroideryOrderTests(HostFixture fixture)
{
    // Fast enough for a test: some 2,000 stitches a second, short trims and changes, a break every 200 stitches.
    private static readonly EmbroideryPace TestPace = new()
    {
        StitchesPerMinute = 120_000, TrimSeconds = 0.05, ColourChangeSeconds = 0.1, BreaksPerStitch = 1.0 / 200, RethreadSeconds = 0.05,
    };

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_design_uploaded_and_ordered_is_dispatched_fetched_sewn_and_the_order_completes()
    {
        using var t = await Host.CreateTenantAsync("emb");
        using var api = PlatformApi.Create(Host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(3), "127.0.0.1", 15020, CancellationToken.None);
        var emb = machines.Single(m => m.Name == "emb-001");
        await t.Admin.PutJsonAsync($"/api/v1/machines/{emb.Id}/capabilities", new { capabilities = new[] { "embroidery" } }, HttpStatusCode.OK);
        var item = (await t.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "POLO-EMB", name = "Embroidered polo", unitCost = 9.0 }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[] { new { id = "10", name = "Embroider", capability = "embroidery", setupSeconds = 0.2, unitSeconds = 1, program = "design" } },
        }, HttpStatusCode.OK);
        var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();
        var design = await TestDesigns.CreateAsync(t.Operator, "Polo badge");
        var stitches = design["stitches"]!.GetValue<long>();

        var broker = new BrokerAddress("127.0.0.1", Host.MqttEndPoint.Port, t.Slug);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System,
            new JobMode(Platform: Host.BaseAddress, Pace: TestPace));
        var running = factory.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) >= 2, "the JSON machines connected");

        var placed = await t.Operator.PostJsonAsync($"/api/v1/embroidery/designs/{design.Id()}/orders", new
        {
            customer = "Rowing club", itemId = item, siteId = site, quantity = 3, dueAt = DateTimeOffset.UtcNow.AddHours(2), release = true,
        }, HttpStatusCode.Created);
        var price = design["price"]!;
        Assert.Equal(price["setup"]!.GetValue<decimal>() + (3 * price["perPiece"]!.GetValue<decimal>()), placed["total"]!.GetValue<decimal>());
        var orderId = placed["order"]!.Id();
        Assert.Equal(design["sha256"]!.GetValue<string>(), placed["order"]!["customization"]!["embroidery"]!["sha256"]!.GetValue<string>());

        var order = await Eventually.ValueAsync(
            () => t.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"), o => o["status"]!.GetValue<string>() == "completed",
            $"the order completed ({factory.StatusLine(0, TimeSpan.Zero)} | {factory.Stats.LastIgnored})", TimeSpan.FromSeconds(90));
        var model = (EmbroideryMachine)factory.Runners.Single(r => r.Machine.Name == "emb-001").Machine;
        var latest = await Eventually.ValueAsync(() => LatestAsync(t, emb.Id), v => v.GetValueOrDefault("design_count")?.GetValue<long>() >= 3, "the pieces reported");
        await stop.CancelAsync();
        await running;

        Assert.True(order["good"]!.GetValue<long>() >= 3, order.ToJsonString());
        Assert.Equal(emb.Id, order["jobs"]![0]!["machineId"]!.GetValue<long>());
        // Every piece made (scrap too) sewed the whole design: the stitch counter rose by the design's stitches per piece.
        var made = latest["design_count"]!.GetValue<long>();
        Assert.Equal(made * stitches, latest["stitch_count"]!.GetValue<long>());
        Assert.True(model.Breaks > 0, "threads broke and were rethreaded at the test's rate");
        Assert.Equal(1, factory.Stats.Answers(JobStatus.Completed));

        // The KPIs from the counters and the order: the machine's stitches and breaks, the order's lead time from the upload.
        var final = await LatestAsync(t, emb.Id);
        var kpis = await t.Viewer.GetJsonAsync("/api/v1/embroidery/kpis");
        var machine = kpis["machines"]!.AsArray().Single(m => m!["machineId"]!.GetValue<long>() == emb.Id)!;
        Assert.Equal(final["stitch_count"]!.GetValue<long>(), machine["stitches"]!.GetValue<long>());
        Assert.Equal(final["thread_breaks"]!.GetValue<long>(), machine["threadBreaks"]!.GetValue<long>());
        Assert.True(machine["breaksPerMillionStitches"]!.GetValue<double>() > 0, machine.ToJsonString());
        Assert.Equal(1, kpis["leadTime"]!["orders"]!.GetValue<int>());
        Assert.True(kpis["leadTime"]!["averageHours"]!.GetValue<double>() > 0);
    }

    private static async Task<Dictionary<string, JsonNode?>> LatestAsync(TestTenant t, long machineId)
    {
        var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest");
        return latest["values"]!.AsArray().ToDictionary(v => v!["tag"]!.GetValue<string>(), v => v!["value"]);
    }

    public sealed class OnSqlite(EmbroiderySqliteHost host) : EmbroideryOrderTests(host), IClassFixture<EmbroiderySqliteHost>;

    public sealed class OnPostgres(EmbroideryPostgresHost host) : EmbroideryOrderTests(host), IClassFixture<EmbroideryPostgresHost>;
}
