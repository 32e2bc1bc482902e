using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Inventory;

public abstract class InventoryApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static async Task<(long Site, long Item)> StockedAsync(TestTenant t)
    {
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "store", timeZone = "UTC" }, HttpStatusCode.Created);
        var item = await t.Operator.PostJsonAsync("/api/v1/inventory-items", new { sku = "BOLT-M8", name = "Bolt M8", unit = "count", unitCost = 2.0 }, HttpStatusCode.Created);
        foreach (var (kind, quantity, at) in new[] { ("receipt", 100, "2026-01-01"), ("issue", 40, "2026-01-11"), ("receipt", 50, "2026-01-21"), ("issue", 60, "2026-01-26") })
        {
            await t.Operator.PostJsonAsync("/api/v1/inventory/movements", new { itemId = item.Id(), siteId = site.Id(), kind, quantity, at = $"{at}T00:00:00Z" }, HttpStatusCode.Created);
        }

        return (site.Id(), item.Id());
    }

    [Fact]
    public async Task Inventory_turnover_is_the_cost_issued_over_the_time_weighted_average_value()
    {
        using var t = await Host.CreateTenantAsync();
        var (site, _) = await StockedAsync(t);

        var turnover = await t.Viewer.GetJsonAsync($"/api/v1/inventory/turnover?siteId={site}&from=2026-01-06T00:00:00Z&to=2026-01-31T00:00:00Z");

        // Value held (unit cost 2): 200 from Jan 1, 120 from Jan 11, 220 from Jan 21, 100 from Jan 26.
        // Over the 25 days from Jan 6: 5 d × 200 + 10 d × 120 + 5 d × 220 + 5 d × 100 = 3,800 value-days → average 152.
        // Issued in the period: 40 × 2 + 60 × 2 = 200. Turnover = 200 / 152 ≈ 1.3158.
        Assert.Equal(200, turnover["costOfGoodsIssued"]!.GetValue<double>(), 9);
        Assert.Equal(152, turnover["averageInventoryValue"]!.GetValue<double>(), 9);
        Assert.Equal(200.0 / 152, turnover["turnover"]!.GetValue<double>(), 12);

        // Before any stock there is nothing to turn over: no ratio rather than a division by zero.
        var empty = await t.Viewer.GetJsonAsync($"/api/v1/inventory/turnover?siteId={site}&from=2025-12-01T00:00:00Z&to=2025-12-31T00:00:00Z");
        Assert.Null(empty["turnover"]);
    }

    [Fact]
    public async Task Stock_levels_are_the_sum_of_movements_and_never_go_below_zero()
    {
        using var t = await Host.CreateTenantAsync();
        var (site, item) = await StockedAsync(t);
        var before = (await t.Viewer.GetJsonAsync($"/api/v1/inventory/stock?siteId={site}")).ToJsonString();

        var level = (await t.Viewer.GetJsonAsync($"/api/v1/inventory/stock?siteId={site}")).AsArray().Single()!;
        Assert.Equal(50, level["quantity"]!.GetValue<double>());  // 100 − 40 + 50 − 60
        Assert.Equal(100, level["value"]!.GetValue<double>());

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory/movements", new { itemId = item, siteId = site, kind = "issue", quantity = 51 },
            HttpStatusCode.Conflict, "below zero");
        // Back-dated: 60 were there on Jan 12, so 55 could go then, but the issue of 60 on Jan 26 would then
        // take the stock to 60 − 55 + 50 − 60 = −5.
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory/movements", new { itemId = item, siteId = site, kind = "issue", quantity = 55, at = "2026-01-12T00:00:00Z" },
            HttpStatusCode.Conflict, "below zero");
        Assert.Equal(before, (await t.Viewer.GetJsonAsync($"/api/v1/inventory/stock?siteId={site}")).ToJsonString());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/inventory-items/{item}", null, HttpStatusCode.Conflict, "has movements");
    }

    [Fact]
    public async Task Bad_movements_and_items_are_refused_field_by_field()
    {
        using var t = await Host.CreateTenantAsync();
        var (site, item) = await StockedAsync(t);

        var problem = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory/movements",
            new { siteId = site, kind = "transfer", quantity = -1, at = "2099-01-01T00:00:00Z" }, HttpStatusCode.BadRequest, "itemId");
        Assert.Equal(["at", "itemId", "kind", "quantity"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory/movements", new { itemId = 987654, siteId = site, kind = "receipt", quantity = 1 },
            HttpStatusCode.BadRequest, "no inventory item with id 987654");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory-items", new { sku = "BOLT-M8", name = "again", unitCost = 1 },
            HttpStatusCode.Conflict, "already exists");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/inventory-items", new { sku = "X", name = "x", unit = "furlong", unitCost = -1 },
            HttpStatusCode.BadRequest, "unitCost");
        var movements = await t.Viewer.ListAsync($"/api/v1/inventory/movements?itemId={item}");
        Assert.Equal(4, movements.Count);
    }

    [Fact]
    public async Task A_site_with_stock_history_is_not_deleted_but_its_tenant_goes_with_everything()
    {
        var t = await Host.CreateTenantAsync();
        using (t)
        {
            var (site, _) = await StockedAsync(t);
            await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/sites/{site}", null, HttpStatusCode.Conflict, "inventory movements");
            Assert.Equal(4, (await t.Viewer.ListAsync("/api/v1/inventory/movements")).Count);
        }

        using var platform = Host.Platform();
        await platform.DeleteAsync($"/api/v1/tenants/{t.Id}", HttpStatusCode.NoContent);
        await platform.GetJsonAsync($"/api/v1/tenants/{t.Id}", HttpStatusCode.NotFound);
    }

    public sealed class OnSqlite(SqliteHost host) : InventoryApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : InventoryApiTests(host), IClassFixture<PostgresHost>;
}
