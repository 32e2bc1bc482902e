using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>
/// Setup families over REST: the tenant's families and matrix, programs and items filed under them, refusals by field,
/// the audit, another tenant kept out, and the real planner sequencing by the matrix.
/// </summary>
public abstract class SetupFamilyTests(ProductionHost fixture)
{
    private const string Families = "/api/v1/schedule/setup-families";

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Families_and_their_matrix_are_kept_and_audited_and_bad_input_is_refused_by_field()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var admin = cell.Tenant.Admin;

        var refused = await admin.PutJsonAsync(Families, new
        {
            families = new[] { "red", "blue" },
            matrix = new object[] { new { from = "red", to = "blue", minutes = -5 }, new { from = "red", to = "green", minutes = 3 } },
        }, HttpStatusCode.BadRequest);
        var errors = refused["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("matrix[0].minutes") && errors.ContainsKey("matrix[1].to"), refused.ToJsonString());
        Assert.Contains("unknown family 'green'", errors["matrix[1].to"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await admin.GetJsonAsync(Families))["families"]!.AsArray());

        var kept = await admin.PutJsonAsync(Families, new { families = new[] { "red", "blue" }, matrix = Matrix(1, 45) }, HttpStatusCode.OK);
        Assert.Equal(["blue", "red"], kept["families"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(45, kept["matrix"]!.AsArray().Single(m => m!["from"]!.GetValue<string>() == "red" && m["to"]!.GetValue<string>() == "blue")!["minutes"]!.GetValue<double>());

        var unknown = await admin.PutJsonAsync($"{Families}/programs/RAL5015", new { family = "green" }, HttpStatusCode.BadRequest);
        Assert.True(unknown["errors"]!.AsObject().ContainsKey("family"), unknown.ToJsonString());
        await admin.PutJsonAsync($"{Families}/programs/RAL5015", new { family = "red" }, HttpStatusCode.OK);
        await admin.PutJsonAsync($"/api/v1/items/{cell.BracketId}/setup-family", new { family = "blue" }, HttpStatusCode.OK);
        Assert.Equal("blue", (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/items/{cell.BracketId}/setup-family"))["family"]!.GetValue<string>());
        await cell.Tenant.Viewer.PutJsonAsync($"/api/v1/items/{cell.BracketId}/setup-family", new { family = "red" }, HttpStatusCode.Forbidden);

        var inUse = await admin.PutJsonAsync(Families, new { families = new[] { "red" } }, HttpStatusCode.Conflict);
        Assert.Contains($"item {cell.BracketId}", inUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var all = await admin.GetJsonAsync(Families);
        Assert.Equal(2, all["families"]!.AsArray().Count);
        Assert.Equal(("RAL5015", "red"), (all["programs"]![0]!["program"]!.GetValue<string>(), all["programs"]![0]!["family"]!.GetValue<string>()));
        Assert.Equal(4, all["matrix"]!.AsArray().Count);

        await admin.DeleteAsync($"{Families}/programs/RAL5015", HttpStatusCode.NoContent);
        await admin.DeleteAsync($"{Families}/programs/RAL5015", HttpStatusCode.NotFound);
        var audit = (await admin.GetJsonAsync("/api/v1/audit?limit=500"))["items"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).ToList();
        Assert.Contains("setup families red, blue; 4 family pairs timed", audit);
        Assert.Contains("program 'RAL5015' filed under setup family 'red'", audit);
        Assert.Contains("item 'BRKT' filed under setup family 'blue'", audit);
        Assert.Contains("program 'RAL5015' no longer filed under a setup family", audit);
    }

    [Fact]
    public async Task Another_tenant_can_neither_read_nor_change_the_families_of_an_item_not_its_own()
    {
        await using var a = await ProductionCell.CreateAsync(Host);
        await using var b = await ProductionCell.CreateAsync(Host);
        await a.Tenant.Admin.PutJsonAsync(Families, new { families = new[] { "red", "blue" }, matrix = Matrix(1, 45) }, HttpStatusCode.OK);
        await a.Tenant.Admin.PutJsonAsync($"/api/v1/items/{a.BracketId}/setup-family", new { family = "red" }, HttpStatusCode.OK);
        await b.Tenant.Admin.PutJsonAsync(Families, new { families = new[] { "red" } }, HttpStatusCode.OK);

        await b.Tenant.Admin.GetJsonAsync($"/api/v1/items/{a.BracketId}/setup-family", HttpStatusCode.NotFound);
        await b.Tenant.Admin.PutJsonAsync($"/api/v1/items/{a.BracketId}/setup-family", new { family = "red" }, HttpStatusCode.NotFound);
        await b.Tenant.Admin.DeleteAsync($"/api/v1/items/{a.BracketId}/setup-family", HttpStatusCode.NotFound);
        var seenByB = await b.Tenant.Admin.GetJsonAsync(Families);
        Assert.Equal(["red"], seenByB["families"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty(seenByB["matrix"]!.AsArray());
        Assert.Empty(seenByB["items"]!.AsArray());

        var seenByA = await a.Tenant.Admin.GetJsonAsync(Families);
        Assert.Equal(2, seenByA["families"]!.AsArray().Count);
        Assert.Equal(4, seenByA["matrix"]!.AsArray().Count);
        Assert.Equal(a.BracketId, seenByA["items"]!.AsArray().Single()!["itemId"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_planner_runs_same_family_jobs_together_because_the_matrix_makes_changing_family_dear()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var admin = cell.Tenant.Admin;
        // The site is stopped for two hours: nothing is dispatched, the plan holds still, and every order is late (so sooner is better).
        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from = DateTimeOffset.UtcNow.AddMinutes(-1), to = DateTimeOffset.UtcNow.AddHours(2), reason = "stocktaking" } },
        }, HttpStatusCode.OK);
        await admin.PutJsonAsync(Families, new { families = new[] { "red", "blue" }, matrix = Matrix(0.5, 60) }, HttpStatusCode.OK);
        var colours = new Dictionary<long, string>();
        foreach (var (program, family) in new[] { ("R1", "red"), ("B1", "blue"), ("R2", "red"), ("B2", "blue") })
        {
            var item = (await admin.PostJsonAsync("/api/v1/inventory-items", new { sku = $"PNL-{program}", name = $"Panel {program}", unitCost = 1.0 }, HttpStatusCode.Created)).Id();
            await admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
            {
                operations = new[] { new { id = "10", name = "Paint", capability = "painting", setupSeconds = 600, unitSeconds = 60, program } },
            }, HttpStatusCode.OK);
            // Red by its program, blue by its item: both ways of filing count.
            await admin.PutJsonAsync(family == "red" ? $"{Families}/programs/{program}" : $"/api/v1/items/{item}/setup-family", new { family }, HttpStatusCode.OK);
            var order = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
            {
                customer = "ACME", itemId = item, siteId = cell.SiteId, quantity = 5, dueAt = DateTimeOffset.UtcNow.AddMinutes(5), priority = 10, release = true,
            }, HttpStatusCode.Created);
            colours[order.Id()] = family;
        }

        // Released one by one, the orders alternate red and blue; the planner puts each family's jobs together.
        var jobs = await Eventually.ValueAsync(() => PaintJobsAsync(cell, colours.Keys), j => j.Count == 4 && Changes(j, colours) == 1,
            "a plan with one change of family on paint-1", TimeSpan.FromSeconds(30));

        Assert.All(jobs, j => Assert.Equal(cell.MachineIds["paint-1"], j.Machine));
        Assert.Equal([600, 30, 3600, 30], jobs.Select(j => j.SetupSeconds));   // nothing loaded, within a family, the change, within a family
    }

    private static object[] Matrix(double same, double change) =>
    [
        new { from = "red", to = "red", minutes = same }, new { from = "blue", to = "blue", minutes = same },
        new { from = "red", to = "blue", minutes = change }, new { from = "blue", to = "red", minutes = change },
    ];

    private static int Changes(List<(long Order, long Machine, DateTimeOffset Start, double SetupSeconds)> jobs, Dictionary<long, string> colours) =>
        jobs.Zip(jobs.Skip(1)).Count(p => colours[p.First.Order] != colours[p.Second.Order]);

    /// <summary>The orders' jobs that are planned, in the order they start.</summary>
    private static async Task<List<(long Order, long Machine, DateTimeOffset Start, double SetupSeconds)>> PaintJobsAsync(ProductionCell cell, IEnumerable<long> orders)
    {
        var jobs = new List<(long, long, DateTimeOffset, double)>();
        foreach (var id in orders)
        {
            var job = (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{id}"))["jobs"]![0]!;
            if (job["machineId"] is JsonValue machine && job["plannedStart"] is JsonValue start)
            {
                jobs.Add((id, machine.GetValue<long>(), start.GetValue<DateTimeOffset>(), job["plannedSetupSeconds"]!.GetValue<double>()));
            }
        }

        return [.. jobs.OrderBy(j => j.Item3)];
    }

    public sealed class OnSqlite(SqliteProductionHost host) : SetupFamilyTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : SetupFamilyTests(host), IClassFixture<PostgresProductionHost>;
}
