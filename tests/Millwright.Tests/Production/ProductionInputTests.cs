using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>Bad routings, orders and commands get a problem answer naming what is wrong, and change nothing.</summary>
public abstract class ProductionInputTests(ProductionHost fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_routing_whose_operations_wait_for_each_other_in_a_circle_is_refused_naming_the_cycle()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var before = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/items/{cell.BracketId}/routing");

        var problem = await cell.Tenant.Admin.PutJsonAsync($"/api/v1/items/{cell.BracketId}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", capability = "milling", unitSeconds = 1 },
                new { id = "20", capability = "painting", unitSeconds = 1, after = new[] { "30" } },
                new { id = "30", capability = "milling", unitSeconds = 1, after = new[] { "20" } },
            },
        }, HttpStatusCode.BadRequest);

        Assert.Contains("cycle", Detail(problem), StringComparison.Ordinal);
        Assert.Contains("20 → 30 → 20", Detail(problem).Replace("30 → 20 → 30", "20 → 30 → 20", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before.ToJsonString(), (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/items/{cell.BracketId}/routing")).ToJsonString());
    }

    [Theory]
    [InlineData("""{"operations": []}""", "operations")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": -1}]}""", "operations[0].unitSeconds")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": 1, "setupSeconds": 1e12}]}""", "operations[0].setupSeconds")]
    [InlineData("""{"operations": [{"capability": "Milling!", "unitSeconds": 1}]}""", "operations[0].capability")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": 1, "after": ["99"]}]}""", "operations[0].after")]
    [InlineData("""{"operations": [{"id": "a", "capability": "milling", "unitSeconds": 1}, {"id": "a", "capability": "milling", "unitSeconds": 1}]}""", "operations[1].id")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": 1, "machines": []}]}""", "operations[0].machines")]
    [InlineData("""{"operations": [{"capability": "welding", "unitSeconds": 1}]}""", "operations[0].capability")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": 1, "machines": [999999]}]}""", "operations[0].machines")]
    [InlineData("""{"operations": [{"capability": "milling", "unitSeconds": 1, "materials": [{"itemId": 999999, "quantity": 1}]}]}""", "operations[0].materials")]
    public async Task A_bad_routing_is_refused_naming_the_field(string json, string field)
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        using var response = await cell.Tenant.Admin.PutAsync($"/api/v1/items/{cell.BracketId}/routing", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task An_operation_no_machine_can_run_says_which_capability_is_missing()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var problem = await cell.Tenant.Admin.PutJsonAsync($"/api/v1/items/{cell.BracketId}/routing",
            new { operations = new[] { new { id = "10", capability = "sand-printing", unitSeconds = 1 } } }, HttpStatusCode.BadRequest);

        Assert.Contains("'sand-printing', which no machine has", problem["errors"]!["operations[0].capability"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releasing_an_order_whose_capable_machines_lost_the_capability_is_refused_and_it_stays_planned()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = cell.BracketId, siteId = cell.SiteId, quantity = 2, dueAt = DateTimeOffset.UtcNow.AddHours(4),
        }, HttpStatusCode.Created);
        await cell.Tenant.Admin.PutJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/capabilities", new { capabilities = Array.Empty<string>() }, HttpStatusCode.OK);

        var problem = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/orders/{order.Id()}/release", new { }, HttpStatusCode.Conflict);

        Assert.Contains("'20 Paint'", Detail(problem), StringComparison.Ordinal);
        Assert.Contains("painting", Detail(problem), StringComparison.Ordinal);
        Assert.Equal("planned", (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Releasing_an_order_the_site_lacks_materials_for_names_the_material_and_the_shortfall()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = cell.BracketId, siteId = cell.SiteId, quantity = 150, dueAt = DateTimeOffset.UtcNow.AddDays(2),
        }, HttpStatusCode.Created);

        var problem = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/orders/{order.Id()}/release", new { }, HttpStatusCode.Conflict);

        Assert.Contains("needs 150 count of 'BLANK'", Detail(problem), StringComparison.Ordinal);
        Assert.Contains("holds 100", Detail(problem), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2, 10, "quantity")]
    [InlineData(2_000_000, 2, 10, "quantity")]
    [InlineData(5, -48, 10, "dueAt")]
    [InlineData(5, 2, 0, "priority")]
    [InlineData(5, 2, 101, "priority")]
    public async Task A_bad_order_is_refused_naming_the_field(long quantity, int dueHours, int priority, string field)
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var problem = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = cell.BracketId, siteId = cell.SiteId, quantity, dueAt = DateTimeOffset.UtcNow.AddHours(dueHours), priority,
        }, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty((await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_order_so_large_the_planner_could_not_hold_it_is_refused()
    {
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 600_000);

        var problem = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = cell.BracketId, siteId = cell.SiteId, quantity = 1000, dueAt = DateTimeOffset.UtcNow.AddDays(30),
        }, HttpStatusCode.BadRequest);

        Assert.Contains("about 3 years", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_to_an_unknown_machine_is_404_and_a_command_without_a_type_is_400()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        await cell.Tenant.Operator.PostJsonAsync("/api/v1/machines/999999/commands", new { type = "stop" }, HttpStatusCode.NotFound);
        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{cell.MachineIds["mill-a"]}/commands", new { program = "O1" }, HttpStatusCode.BadRequest);

        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{cell.MachineIds["mill-a"]}/commands", new { type = "stop", reason = "test" }, HttpStatusCode.Accepted);
        var stop = await cell.Machines["mill-a"].NextAsync("stop", TimeSpan.FromSeconds(10));
        Assert.Equal("test", stop["reason"]!.GetValue<string>());
    }

    private static string Detail(JsonNode problem) => problem["detail"]!.GetValue<string>();

    public sealed class OnSqlite(SqliteProductionHost host) : ProductionInputTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ProductionInputTests(host), IClassFixture<PostgresProductionHost>;
}
