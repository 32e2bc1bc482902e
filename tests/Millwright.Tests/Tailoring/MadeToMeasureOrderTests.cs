using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>
/// A made-to-measure order end to end, for a man's jacket and a woman's skirt: a stored customer's body is sized, the garment drafted and nested, the order's
/// jobs planned onto the virtual factory's tailoring cell; the cutter fetches the DXF and marker with its device
/// credential and cuts the marker piece by piece, a sewing station sews the seams, finishing finishes, and the
/// order completes through production, with the lead time reported beside a standard order's.
/// </summary>
public abstract class MadeToMeasureOrderTests(HostFixture fixture)
{
    // Fast enough for a test: a jacket's 25 m or so of cut line in about half a second, its seams in a second.
    private static readonly TailoringPace TestPace = new() { KnifeMmPerSecond = 50_000, SewingMmPerSecond = 15_000, HandlingSecondsPerPiece = 0.02 };

    private TestHost Host => fixture.Host;

    [Theory]
    [InlineData("male", "jacket")]
    [InlineData("female", "skirt")]
    public async Task A_made_to_measure_garment_is_drafted_dispatched_cut_sewn_finished_and_completes(string sex, string garment)
    {
        using var t = await Host.CreateTenantAsync("mtm");
        using var api = PlatformApi.Create(Host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.TailoringCell(2), "127.0.0.1", 15020, CancellationToken.None);
        long Id(string name) => machines.Single(m => m.Name == name).Id;
        await t.Admin.PutJsonAsync($"/api/v1/machines/{Id("cut-001")}/capabilities", new { capabilities = new[] { "cutting" } }, HttpStatusCode.OK);
        foreach (var sewing in new[] { "sew-001", "sew-002" })
        {
            await t.Admin.PutJsonAsync($"/api/v1/machines/{Id(sewing)}/capabilities", new { capabilities = new[] { "sewing" } }, HttpStatusCode.OK);
        }

        await t.Admin.PutJsonAsync($"/api/v1/machines/{Id("fin-001")}/capabilities", new { capabilities = new[] { "finishing" } }, HttpStatusCode.OK);
        var item = (await t.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "MTM-JACKET", name = "Made-to-measure jacket", unitCost = 120.0 }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", name = "Cut", capability = "cutting", setupSeconds = 0.2, unitSeconds = 1, program = "marker" },
                new { id = "20", name = "Sew", capability = "sewing", setupSeconds = 0, unitSeconds = 2, program = "jacket" },
                new { id = "30", name = "Finish", capability = "finishing", setupSeconds = 0, unitSeconds = 0.5, program = "press" },
            },
        }, HttpStatusCode.OK);
        var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();

        var customer = await t.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "A. Customer", sex, measurements = sex == "male" ? TestBodies.Man() : TestBodies.Woman() }, HttpStatusCode.Created);
        var broker = new BrokerAddress("127.0.0.1", Host.MqttEndPoint.Port, t.Slug);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System,
            new JobMode(Platform: Host.BaseAddress, Tailoring: TestPace));
        var running = factory.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) >= 4, "the tailoring cell connected");

        var placed = await t.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            customerId = customer.Id(), garment, fabric = new { name = "wool twill", widthMm = 1500 },
            itemId = item, siteId = site, dueAt = DateTimeOffset.UtcNow.AddHours(2), release = true,
        }, HttpStatusCode.Created);
        var standard = await t.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "Stock", itemId = item, siteId = site, quantity = 1, dueAt = DateTimeOffset.UtcNow.AddHours(3), release = true,
        }, HttpStatusCode.Created);
        var orderId = placed["order"]!.Id();
        var mtm = placed["madeToMeasure"]!;
        var reference = placed["order"]!["customization"]!["tailoring"]!;
        Assert.Equal(customer["size"]!["designation"]!.GetValue<string>(), mtm["size"]!["designation"]!.GetValue<string>());
        Assert.Equal(garment, mtm["garment"]!.GetValue<string>());
        Assert.Equal("A. Customer", placed["order"]!["customer"]!.GetValue<string>());
        Assert.Equal(1, placed["order"]!["quantity"]!.GetValue<long>());
        Assert.InRange(mtm["efficiency"]!.GetValue<double>(), 0.3, 1.0);
        Assert.StartsWith("/api/v1/c2m/files/", reference["dxf"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(mtm["pieces"]!.GetValue<int>(), reference["pieces"]!.GetValue<int>());

        // The files people see are the files the cutter gets: the DXF over the viewer route has the command's hash and size.
        using (var dxf = await t.Viewer.GetAsync($"/api/v1/c2m/orders/{orderId}/pattern.dxf"))
        {
            var bytes = await dxf.Content.ReadAsByteArrayAsync();
            Assert.Equal(reference["dxf"]!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(reference["dxf"]!["bytes"]!.GetValue<long>(), bytes.Length);
        }

        Assert.Contains("<svg", await t.Viewer.GetStringAsync($"/api/v1/c2m/orders/{orderId}/pattern.svg"), StringComparison.Ordinal);

        var order = await Eventually.ValueAsync(
            () => t.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"), o => o["status"]!.GetValue<string>() == "completed",
            $"the order completed ({factory.StatusLine(0, TimeSpan.Zero)} | {factory.Stats.LastIgnored})", TimeSpan.FromSeconds(90));
        await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync($"/api/v1/orders/{standard.Id()}"), o => o["status"]!.GetValue<string>() == "completed",
            "the standard order completed", TimeSpan.FromSeconds(60));
        var jobs = order["jobs"]!.AsArray();
        Assert.Equal(Id("cut-001"), jobs[0]!["machineId"]!.GetValue<long>());
        Assert.Contains(jobs[1]!["machineId"]!.GetValue<long>(), new[] { Id("sew-001"), Id("sew-002") });
        Assert.Equal(Id("fin-001"), jobs[2]!["machineId"]!.GetValue<long>());
        var sewer = jobs[1]!["machineId"]!.GetValue<long>();

        // The cutter cut every piece of the marker it fetched, the knife ran the marker's cut line, and the sewing
        // station the garment's seams; their counters say so (a standard garment on them counts its stock lengths).
        var cut = await Eventually.ValueAsync(() => LatestAsync(t, Id("cut-001")), v => v.GetValueOrDefault("garment_count")?.GetValue<long>() >= 2, "the cutter's garments reported");
        await stop.CancelAsync();
        await running;
        Assert.True(cut["pieces_cut"]!.GetValue<long>() >= mtm["pieces"]!.GetValue<long>(), cut["pieces_cut"]!.ToJsonString());
        Assert.True(cut["cut_length"]!.GetValue<double>() * 1000 >= mtm["cutLengthMm"]!.GetValue<double>() - 1, $"{cut["cut_length"]} m < {mtm["cutLengthMm"]} mm");
        var sewn = await LatestAsync(t, sewer);
        Assert.True(sewn["seam_length"]!.GetValue<double>() * 1000 >= mtm["seamLengthMm"]!.GetValue<double>() - 1, $"{sewn["seam_length"]} m < {mtm["seamLengthMm"]} mm");

        var details = await t.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{orderId}");
        Assert.Equal("completed", details["order"]!["status"]!.GetValue<string>());
        Assert.Equal(customer.Id(), details["madeToMeasure"]!["customerId"]!.GetValue<long>());

        var kpis = await t.Viewer.GetJsonAsync("/api/v1/c2m/kpis");
        Assert.Equal(1, kpis["customized"]!["orders"]!.GetValue<int>());
        Assert.Equal(1, kpis["standard"]!["orders"]!.GetValue<int>());
        Assert.True(kpis["customized"]!["averageHours"]!.GetValue<double>() > 0, kpis.ToJsonString());
        Assert.True(kpis["ratio"]!.GetValue<double>() > 0, kpis.ToJsonString());
    }

    private static async Task<Dictionary<string, JsonNode?>> LatestAsync(TestTenant t, long machineId)
    {
        var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest");
        return latest["values"]!.AsArray().ToDictionary(v => v!["tag"]!.GetValue<string>(), v => v!["value"]);
    }

    public sealed class OnSqlite(TailoringSqliteHost host) : MadeToMeasureOrderTests(host), IClassFixture<TailoringSqliteHost>;

    public sealed class OnPostgres(TailoringPostgresHost host) : MadeToMeasureOrderTests(host), IClassFixture<TailoringPostgresHost>;
}
