using System.Net;
using Millwright.Design;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Design;

/// <summary>
/// From an accepted idea to the shop floor: a project grown from the idea is released and released to manufacturing
/// (items, material items and routings from templates, once), an order for a released part runs on the cell's machines,
/// and the development-cycle KPI reads every milestone from what was recorded.
/// </summary>
public abstract class DesignManufacturingTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_released_revision_becomes_items_and_routings_once_and_its_first_good_unit_closes_the_development_cycle()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var t = cell.Tenant;
        var idea = await t.Operator.PostJsonAsync("/api/v1/makerspace/ideas", new { title = "A quieter pump", description = "Rubber feet and a heavier housing", tags = new[] { "pump" }, productFamily = "pumps" }, HttpStatusCode.Created);
        await t.Admin.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "under_review" }, HttpStatusCode.OK);
        await t.Admin.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "accepted", project = "Quiet pump" }, HttpStatusCode.OK);
        var project = (await t.Operator.PostJsonAsync("/api/v1/design/projects", new { name = "Quiet pump", productFamily = "pumps", ideaId = idea.Id() }, HttpStatusCode.Created)).Id();
        var p = $"/api/v1/design/projects/{project}";

        await t.Admin.PutJsonAsync("/api/v1/design/routing-templates/milled", new
        {
            operations = new object[] { new { id = "10", name = "Mill", capability = "milling", setupSeconds = 0.2, unitSeconds = 0.1, program = "O2001" } },
        }, HttpStatusCode.OK);
        await t.Admin.PutJsonAsync("/api/v1/design/routing-templates/painted", new
        {
            operations = new object[] { new { id = "10", name = "Paint", capability = "painting", unitSeconds = 0.1, program = "RAL7035" } },
        }, HttpStatusCode.OK);

        await using (var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice"))
        {
            await alice.CreateAsync("pump", DesignTree.Root, ("type", "assembly"), ("name", "Pump"), ("number", "QP-100"), ("parttype", "painted"));
            await alice.CreateAsync("housing", "pump", ("type", "part"), ("name", "Housing"), ("number", "QP-110"), ("material", "cast iron"),
                ("parttype", "milled"), ("param.volume", "0.4 l"), ("param.mass", "= volume * 7200 kg/m3 [kg]"));
            await alice.CreateAsync("foot", "pump", ("type", "part"), ("name", "Rubber foot"), ("number", "QP-120"), ("quantity", "4"));
            await DesignChannel.ConvergedAsync(t.Viewer, project, alice);
        }

        await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "first" }, HttpStatusCode.Created);
        var made = await t.Admin.PostJsonAsync($"{p}/revisions/1/manufacture", new { }, HttpStatusCode.OK);
        Assert.False(made["alreadyReleased"]!.GetValue<bool>());
        var items = made["items"]!.AsArray().ToDictionary(i => i!["sku"]!.GetValue<string>(), i => i!);
        Assert.Equal(["MAT-CAST-IRON", "QP-100", "QP-110", "QP-120"], items.Keys.Order(StringComparer.Ordinal));
        Assert.All(items.Values, i => Assert.True(i["created"]!.GetValue<bool>()));
        Assert.True(items["QP-110"]["routing"]!.GetValue<bool>());
        Assert.False(items["QP-120"]["routing"]!.GetValue<bool>());

        // The housing is milled from 2.88 kg of cast iron (its computed mass); the pump consumes one housing and four feet.
        var housing = items["QP-110"]["itemId"]!.GetValue<long>();
        var milling = (await t.Viewer.GetJsonAsync($"/api/v1/items/{housing}/routing"))["operations"]![0]!;
        Assert.Equal("O2001", milling["program"]!.GetValue<string>());
        var iron = milling["materials"]!.AsArray().Single()!;
        Assert.Equal(items["MAT-CAST-IRON"]["itemId"]!.GetValue<long>(), iron["itemId"]!.GetValue<long>());
        Assert.Equal(2.88, iron["quantity"]!.GetValue<double>(), 6);
        var pumpMaterials = (await t.Viewer.GetJsonAsync($"/api/v1/items/{items["QP-100"]["itemId"]}/routing"))["operations"]![0]!["materials"]!.AsArray();
        var expected = new[] { (housing, 1.0), (items["QP-120"]["itemId"]!.GetValue<long>(), 4.0) }.OrderBy(m => m.Item1);
        Assert.Equal(expected, pumpMaterials.Select(m => (m!["itemId"]!.GetValue<long>(), m!["quantity"]!.GetValue<double>())).OrderBy(m => m.Item1));
        var origin = await t.Viewer.GetJsonAsync($"/api/v1/design/items/{housing}/origin");
        Assert.Equal(("housing", 1L, project), (origin["node"]!.GetValue<string>(), origin["revision"]!.GetValue<long>(), origin["projectId"]!.GetValue<long>()));

        // Released again: nothing changes, the same answer.
        var itemCount = (await t.Viewer.GetJsonAsync("/api/v1/inventory-items?limit=100"))["items"]!.AsArray().Count;
        var again = await t.Admin.PostJsonAsync($"{p}/revisions/1/manufacture", new { }, HttpStatusCode.OK);
        Assert.True(again["alreadyReleased"]!.GetValue<bool>());
        Assert.Equal(made["items"]!.ToJsonString(), again["items"]!.ToJsonString());
        Assert.Equal(itemCount, (await t.Viewer.GetJsonAsync("/api/v1/inventory-items?limit=100"))["items"]!.AsArray().Count);
        Assert.NotNull((await t.Viewer.GetJsonAsync($"{p}/revisions/1"))["manufacturedAt"]);

        // An order for the housing runs on a mill; its first good unit is the end of the development cycle's ramp-up.
        await t.Admin.PostJsonAsync("/api/v1/inventory/movements", new { itemId = items["MAT-CAST-IRON"]["itemId"]!.GetValue<long>(), siteId = cell.SiteId, kind = "receipt", quantity = 100 }, HttpStatusCode.Created);
        var order = await t.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = housing, siteId = cell.SiteId, quantity = 2, dueAt = DateTimeOffset.UtcNow.AddHours(2), priority = 10, release = true,
        }, HttpStatusCode.Created);
        var (mill, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        Assert.Equal("O2001", job["program"]!.GetValue<string>());
        await mill.AnswerAsync(job, "accepted");
        await cell.WaitForOrderAsync(order.Id(), o => o["jobs"]![0]!["status"]!.GetValue<string>() == "running", Soon);
        await mill.AnswerRawAsync($$$"""{"jobId": {{{job["jobId"]}}}, "status": "completed", "good": 2, "scrap": 0}""");
        await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);

        var board = await t.Viewer.GetJsonAsync("/api/v1/design/kpis/cycle");
        var row = board["projects"]!.AsArray().Single(r => r!["projectId"]!.GetValue<long>() == project)!;
        Assert.Equal(idea.Id(), row["ideaId"]!.GetValue<long>());
        Assert.NotNull(row["ideaAcceptedAt"]);
        Assert.NotNull(row["firstRevisionAt"]);
        Assert.NotNull(row["firstGoodUnitAt"]);
        Assert.True(row["developmentDays"]!.GetValue<double>() >= 0);
        Assert.True(row["rampUpDays"]!.GetValue<double>() >= 0);
        var family = board["families"]!.AsArray().Single(f => f!["productFamily"]?.GetValue<string>() == "pumps")!;
        Assert.Equal(1, family["released"]!.GetValue<int>());
        Assert.Equal(1, board["current"]!["released"]!.GetValue<int>());
        Assert.Equal(0, board["baseline"]!["released"]!.GetValue<int>());
        Assert.Equal(0, board["lead"]!["openRequests"]!.GetValue<int>());
    }

    public sealed class OnSqlite(SqliteProductionHost host) : DesignManufacturingTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : DesignManufacturingTests(host), IClassFixture<PostgresProductionHost>;
}
