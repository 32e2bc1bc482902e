using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Erp;

/// <summary>
/// Orders and material master data from an ERP as B2MML: sample documents written from the standard's description
/// are imported, read back and imported again unchanged; malformed ones are refused with the element path; per tenant.
/// </summary>
public abstract class ErpB2mmlTests(ProductionHost fixture)
{
    private static readonly XNamespace B = "http://www.mesa.org/xml/B2MML-V0600";

    private TestHost Host => fixture.Host;

    private static string Due(int days) => DateTimeOffset.UtcNow.Date.AddDays(days).AddHours(14).ToString("yyyy-MM-dd'T'HH:mm:ss'+02:00'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Schedule(params string[] requests) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <ProductionSchedule xmlns="http://www.mesa.org/xml/B2MML-V0600">
          <ID>SCHED-1</ID>
          <Location><EquipmentID>Works</EquipmentID><EquipmentElementLevel>Site</EquipmentElementLevel></Location>
          {string.Concat(requests)}
        </ProductionSchedule>
        """;

    private static string Request(string number, string item, int quantity, string due, int? priority = null, string unit = "count") =>
        $"""
          <ProductionRequest>
            <ID>{number}</ID>
            <EndTime>{due}</EndTime>
            {(priority is { } p ? $"<Priority>{p}</Priority>" : "")}
            <SegmentRequirement><MaterialProducedRequirement>
              <MaterialDefinitionID>{item}</MaterialDefinitionID>
              <Quantity><QuantityString>{quantity}</QuantityString><UnitOfMeasure>{unit}</UnitOfMeasure></Quantity>
            </MaterialProducedRequirement></SegmentRequirement>
          </ProductionRequest>
        """;

    private const string Materials =
        """
        <MaterialInformation xmlns="http://www.mesa.org/xml/B2MML-V0600">
          <ID>MM-1</ID>
          <MaterialDefinition>
            <ID>BRKT</ID><Description>Bracket, painted</Description>
            <MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>count</ValueString></Value></MaterialDefinitionProperty>
            <MaterialDefinitionProperty><ID>UnitCost</ID><Value><ValueString>9.5</ValueString></Value></MaterialDefinitionProperty>
            <MaterialClassID>FinishedGoods</MaterialClassID><MaterialClassID>Brackets</MaterialClassID>
          </MaterialDefinition>
          <MaterialDefinition>
            <ID>STEEL-S235</ID><Description>Steel sheet S235</Description>
            <MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>kg</ValueString></Value></MaterialDefinitionProperty>
            <MaterialClassID>RawMaterial</MaterialClassID>
          </MaterialDefinition>
        </MaterialInformation>
        """;

    [Fact]
    public async Task A_production_schedule_imported_twice_creates_its_orders_once_with_the_documents_terms()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var due = Due(10);
        var document = Schedule(Request("PO-4711", "BRKT", 12, due, 20), Request("PO-4712", "BRKT", 3, Due(11)));

        var first = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders", document, HttpStatusCode.OK);
        var second = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders", document, HttpStatusCode.OK);

        Assert.Equal((2, 0), (Int(first, "created"), Int(first, "unchanged")));
        Assert.Equal((0, 2), (Int(second, "created"), Int(second, "unchanged")));
        var order = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{first["rows"]![0]!["orderId"]!.GetValue<long>()}");
        Assert.Equal(("PO-4711", 12L, 20, "ERP", cell.SiteId), (order["number"]!.GetValue<string>(), order["quantity"]!.GetValue<long>(),
            order["priority"]!.GetValue<int>(), order["customer"]!.GetValue<string>(), order["siteId"]!.GetValue<long>()));
        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), order["dueAt"]!.GetValue<DateTimeOffset>());

        // What went in comes back out: the performance document names the ERP's request.
        var performance = XDocument.Parse(await cell.Tenant.Viewer.GetStringAsync($"/api/v1/erp/orders/{order["id"]!.GetValue<long>()}/performance"));
        Assert.Equal("PO-4711", performance.Root!.Element(B + "ProductionResponse")!.Element(B + "ProductionRequestID")!.Value);
    }

    [Fact]
    public async Task A_changed_quantity_in_a_later_schedule_updates_the_order()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var due = Due(10);
        await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders", Schedule(Request("PO-1", "BRKT", 5, due)), HttpStatusCode.OK);

        var again = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders", Schedule(Request("PO-1", "BRKT", 8, due, 40)), HttpStatusCode.OK);

        Assert.Equal("updated", again["rows"]![0]!["outcome"]!.GetValue<string>());
        var order = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{again["rows"]![0]!["orderId"]!.GetValue<long>()}");
        Assert.Equal((8L, 40), (order["quantity"]!.GetValue<long>(), order["priority"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("NOPE", "count", "/ProductionSchedule/ProductionRequest[2]/SegmentRequirement/MaterialProducedRequirement/MaterialDefinitionID", "no item with SKU 'NOPE'")]
    [InlineData("BRKT", "kg", "/ProductionSchedule/ProductionRequest[2]/SegmentRequirement/MaterialProducedRequirement/Quantity/UnitOfMeasure", "counted in 'count'")]
    public async Task A_schedule_naming_what_the_plant_does_not_have_is_refused_at_the_element_and_imports_nothing(string item, string unit, string path, string problem)
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var refused = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders",
            Schedule(Request("PO-1", "BRKT", 1, Due(5)), Request("PO-2", item, 1, Due(5), unit: unit)), HttpStatusCode.BadRequest);

        Assert.Equal(path, refused["path"]!.GetValue<string>());
        Assert.Contains(problem, refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(refused["line"]!.GetValue<int>() > 1);
        Assert.Empty((await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_malformed_document_is_a_problem_naming_the_element_path()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var refused = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/orders",
            Schedule(Request("PO-1", "BRKT", 1, Due(5)).Replace("<EndTime>", "<Colour>red</Colour><EndTime>", StringComparison.Ordinal)), HttpStatusCode.BadRequest);
        var broken = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", "<MaterialInformation xmlns=\"http://www.mesa.org/xml/B2MML-V0600\">", HttpStatusCode.BadRequest);

        Assert.Equal("/ProductionSchedule/ProductionRequest/Colour", refused["path"]!.GetValue<string>());
        Assert.Equal("Invalid B2MML document", refused["title"]!.GetValue<string>());
        Assert.Contains("not well-formed", broken["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Master_data_imported_reads_back_equal_and_a_second_import_changes_nothing()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        var first = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", Materials, HttpStatusCode.OK);
        var exported = await cell.Tenant.Viewer.GetStringAsync("/api/v1/erp/materials");
        var second = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", Materials, HttpStatusCode.OK);
        var third = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", exported, HttpStatusCode.OK);

        Assert.Equal((1, 1), (Int(first, "created"), Int(first, "updated")));
        Assert.Equal(2, Int(second, "unchanged"));
        Assert.Equal(3, Int(third, "unchanged"));
        var definitions = XDocument.Parse(exported).Root!.Elements(B + "MaterialDefinition").ToDictionary(d => d.Element(B + "ID")!.Value);
        Assert.Equal(["BLANK", "BRKT", "STEEL-S235"], definitions.Keys.Order());
        var bracket = definitions["BRKT"];
        Assert.Equal("Bracket, painted", bracket.Element(B + "Description")!.Value);
        Assert.Equal(["FinishedGoods", "Brackets"], bracket.Elements(B + "MaterialClassID").Select(c => c.Value));
        var steel = await cell.Tenant.Viewer.GetJsonAsync("/api/v1/inventory-items?sku=steel");
        Assert.Equal(("kg", 0.0), (steel["items"]![0]!["unit"]!.GetValue<string>(), steel["items"]![0]!["unitCost"]!.GetValue<double>()));
        Assert.Equal(9.5, (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/inventory-items/{cell.BracketId}"))["unitCost"]!.GetValue<double>());
    }

    [Fact]
    public async Task An_item_with_stock_keeps_its_unit_and_an_unknown_unit_refuses_the_document()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        const string Blank = "<MaterialDefinition xmlns=\"http://www.mesa.org/xml/B2MML-V0600\"><ID>BLANK</ID><MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>{0}</ValueString></Value></MaterialDefinitionProperty></MaterialDefinition>";

        var kg = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", string.Format(System.Globalization.CultureInfo.InvariantCulture, Blank, "kg"), HttpStatusCode.OK);
        var furlong = await PostAsync(cell.Tenant.Operator, "/api/v1/erp/materials", string.Format(System.Globalization.CultureInfo.InvariantCulture, Blank, "furlong"), HttpStatusCode.BadRequest);

        Assert.Equal("refused", kg["rows"]![0]!["outcome"]!.GetValue<string>());
        Assert.Contains("stock movements", kg["rows"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/MaterialDefinition/MaterialDefinitionProperty/Value/ValueString", furlong["path"]!.GetValue<string>());
        Assert.Equal("count", (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/inventory-items/{cell.BlankId}"))["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_tenants_documents_neither_see_nor_touch_the_first_tenants_orders_and_materials()
    {
        await using var a = await ProductionCell.CreateAsync(Host);
        await using var b = await ProductionCell.CreateAsync(Host);
        var mine = (await PostAsync(a.Tenant.Operator, "/api/v1/erp/orders", Schedule(Request("PO-1", "BRKT", 4, Due(10))), HttpStatusCode.OK))["rows"]![0]!["orderId"]!.GetValue<long>();
        await PostAsync(a.Tenant.Operator, "/api/v1/erp/materials", Materials, HttpStatusCode.OK);

        var theirs = await PostAsync(b.Tenant.Operator, "/api/v1/erp/orders", Schedule(Request("PO-1", "BRKT", 99, Due(20))), HttpStatusCode.OK);
        var theirMaterials = XDocument.Parse(await b.Tenant.Viewer.GetStringAsync("/api/v1/erp/materials"));

        Assert.Equal("created", theirs["rows"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal(4, (await a.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{mine}"))["quantity"]!.GetValue<long>());
        Assert.DoesNotContain("STEEL-S235", theirMaterials.Root!.Elements(B + "MaterialDefinition").Select(d => d.Element(B + "ID")!.Value));
        await b.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{mine}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Master_data_sent_as_csv_is_415_and_a_viewer_may_not_import_it()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        using var csv = await cell.Tenant.Operator.PostAsync("/api/v1/erp/materials", new StringContent("id\nA\n", Encoding.UTF8, "text/csv"));
        using var viewer = await cell.Tenant.Viewer.PostAsync("/api/v1/erp/materials", new StringContent(Materials, Encoding.UTF8, "application/xml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csv.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, string xml, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(path, new StringContent(xml, Encoding.UTF8, "application/xml"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    public sealed class OnSqlite(SqliteProductionHost host) : ErpB2mmlTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ErpB2mmlTests(host), IClassFixture<PostgresProductionHost>;
}
