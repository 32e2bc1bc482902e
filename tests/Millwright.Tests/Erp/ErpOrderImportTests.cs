using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Erp;

/// <summary>Production orders from an ERP's CSV file: idempotent on its order number, refused whole when faulty, per tenant.</summary>
public abstract class ErpOrderImportTests(ProductionHost fixture)
{
    private const string Header = "erp_order_number,item,quantity,due,priority";

    private TestHost Host => fixture.Host;

    private static string Due(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Importing_the_same_file_twice_creates_the_orders_once()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var file = $"{Header}\nPO-1,BRKT,12,{Due(10)},20\nPO-2,BRKT,3,{Due(11)},\n";

        var first = await ImportAsync(cell.Tenant.Operator, file, HttpStatusCode.OK);
        var second = await ImportAsync(cell.Tenant.Operator, file, HttpStatusCode.OK);

        Assert.Equal((2, 0), (Int(first, "created"), Int(first, "unchanged")));
        Assert.Equal((0, 2, 0), (Int(second, "created"), Int(second, "unchanged"), Int(second, "updated")));
        var orders = (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray();
        Assert.Equal(["PO-1", "PO-2"], orders.Select(o => o!["number"]!.GetValue<string>()).Order());
        var po1 = orders.Single(o => o!["number"]!.GetValue<string>() == "PO-1")!;
        Assert.Equal((12L, 20, "planned", "ERP"), (po1["quantity"]!.GetValue<long>(), po1["priority"]!.GetValue<int>(), po1["status"]!.GetValue<string>(), po1["customer"]!.GetValue<string>()));
        Assert.Equal(first["rows"]![0]!["orderId"]!.GetValue<long>(), second["rows"]![0]!["orderId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_changed_quantity_updates_an_order_not_yet_started_and_is_refused_for_a_started_one()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var imported = await ImportAsync(cell.Tenant.Operator, $"{Header}\nPO-1,BRKT,5,{Due(10)},\nPO-2,BRKT,5,{Due(10)},\n", HttpStatusCode.OK);
        var (planned, started) = (OrderId(imported, 0), OrderId(imported, 1));
        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/orders/{started}/release", new { }, HttpStatusCode.OK);
        await cell.WaitForOrderAsync(started, o => o["status"]!.GetValue<string>() == "in_progress", TimeSpan.FromSeconds(20));

        var again = await ImportAsync(cell.Tenant.Operator, $"{Header}\nPO-1,BRKT,7,{Due(12)},50\nPO-2,BRKT,9,{Due(12)},\n", HttpStatusCode.OK);

        Assert.Equal("updated", again["rows"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal("refused", again["rows"]![1]!["outcome"]!.GetValue<string>());
        Assert.Contains("in_progress", again["rows"]![1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var amended = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{planned}");
        Assert.Equal((7L, 50), (amended["quantity"]!.GetValue<long>(), amended["priority"]!.GetValue<int>()));
        Assert.All(amended["jobs"]!.AsArray(), j => Assert.Equal(7, j!["quantity"]!.GetValue<long>()));
        Assert.Equal(5, (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{started}"))["quantity"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("erp_order_number,item,quantity,due,colour\nPO-1,BRKT,1,{due},red\n", 1, 5)]
    [InlineData("erp_order_number,item,quantity,due\nPO-1,BRKT,1,{due}\nPO-2,BRKT,ten,{due}\n", 3, 3)]
    [InlineData("erp_order_number,item,quantity,due\nPO-1,BRKT,1,{due}\nPO-2,NOPE,1,{due}\n", 3, 2)]
    [InlineData("erp_order_number,item,quantity,due\nPO-1,BRKT,1,{due}\nPO-1,BRKT,2,{due}\n", 3, 1)]
    [InlineData("erp_order_number,item,quantity,due\nPO-1,BRKT,1,{due}\nPO-2,BRKT,1,2020-01-01\n", 3, 4)]
    [InlineData("erp_order_number,item,quantity,due,site\nPO-1,BRKT,1,{due},Works\nPO-2,BRKT,1,{due},Elsewhere\n", 3, 5)]
    public async Task A_faulty_file_is_refused_naming_line_and_column_and_imports_nothing(string csv, int line, int column)
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var problem = await ImportAsync(cell.Tenant.Operator, csv.Replace("{due}", Due(10), StringComparison.Ordinal), HttpStatusCode.BadRequest);

        Assert.Equal((line, column), (Int(problem, "line"), Int(problem, "column")));
        Assert.Contains($"line {line}, column {column}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Another_tenants_import_neither_sees_nor_touches_the_first_tenants_orders()
    {
        await using var a = await ProductionCell.CreateAsync(Host);
        await using var b = await ProductionCell.CreateAsync(Host);
        var file = $"{Header}\nPO-1,BRKT,4,{Due(10)},\n";
        var mine = OrderId(await ImportAsync(a.Tenant.Operator, file, HttpStatusCode.OK), 0);

        var theirs = await ImportAsync(b.Tenant.Operator, $"{Header}\nPO-1,BRKT,99,{Due(20)},\n", HttpStatusCode.OK);

        Assert.Equal("created", theirs["rows"]![0]!["outcome"]!.GetValue<string>());
        Assert.NotEqual(mine, OrderId(theirs, 0));
        Assert.Equal(4, (await a.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{mine}"))["quantity"]!.GetValue<long>());
        await b.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{mine}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_file_sent_as_json_is_415_and_a_viewer_may_not_import()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        using var json = await cell.Tenant.Operator.PostAsync("/api/v1/erp/orders", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var viewer = await cell.Tenant.Viewer.PostAsync("/api/v1/erp/orders", new StringContent($"{Header}\nPO-1,BRKT,1,{Due(3)},\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
    }

    private static async Task<JsonNode> ImportAsync(HttpClient client, string csv, HttpStatusCode expected)
    {
        using var response = await client.PostAsync("/api/v1/erp/orders", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    private static long OrderId(JsonNode result, int row) => result["rows"]![row]!["orderId"]!.GetValue<long>();

    public sealed class OnSqlite(SqliteProductionHost host) : ErpOrderImportTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ErpOrderImportTests(host), IClassFixture<PostgresProductionHost>;
}
