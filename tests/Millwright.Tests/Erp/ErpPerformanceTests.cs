using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Millwright.Scheduling.Erp;
using Millwright.Testing;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Erp;

/// <summary>What happened to an order, exported for the ERP as B2MML ProductionPerformance, from a real run through the cell.</summary>
public abstract class ErpPerformanceTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private static readonly XNamespace B = B2mmlPerformance.Namespace;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_completed_order_is_exported_with_its_machines_counts_and_consumed_materials()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(5, TimeSpan.FromHours(2));
        var planned = await PerformanceAsync(cell.Tenant.Viewer, order.Id());
        Assert.Contains(planned.Element(B + "ResponseState")!.Value, new[] { "Ready", "Running" });
        Assert.Null(planned.Element(B + "EndTime"));

        var (done, mill) = await RunToCompletionAsync(cell, order.Id());
        var milled = done["jobs"]![0]!;
        var (good, scrap) = (milled["good"]!.GetValue<long>(), milled["scrap"]!.GetValue<long>());
        Assert.True(scrap > 0);

        var response = await PerformanceAsync(cell.Tenant.Viewer, order.Id());
        Assert.Equal("Completed", response.Element(B + "ResponseState")!.Value);
        Assert.Equal(order["number"]!.GetValue<string>(), response.Element(B + "ProductionRequestID")!.Value);
        Assert.NotNull(response.Element(B + "EndTime"));
        var segments = response.Elements(B + "SegmentResponse").ToList();
        Assert.Equal(2, segments.Count);
        Assert.Equal(mill.Name, segments[0].Element(B + "EquipmentActual")!.Element(B + "EquipmentID")!.Value);
        Assert.Equal("paint-1", segments[1].Element(B + "EquipmentActual")!.Element(B + "EquipmentID")!.Value);

        // Milling took a blank per part made, good or scrap (as the stock shows); painting consumed nothing.
        var consumed = segments[0].Elements(B + "MaterialActual").Single(m => m.Element(B + "MaterialUse")!.Value == "Consumed");
        Assert.Equal(("BLANK", $"{good + scrap}"), (consumed.Element(B + "MaterialDefinitionID")!.Value, consumed.Element(B + "Quantity")!.Element(B + "QuantityString")!.Value));
        var stock = (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/inventory/stock?siteId={cell.SiteId}")).AsArray();
        Assert.Equal(100 - good - scrap, stock.Single(s => s!["sku"]!.GetValue<string>() == "BLANK")!["quantity"]!.GetValue<double>());
        var produced = segments[0].Elements(B + "MaterialActual").Single(m => m.Element(B + "MaterialUse")!.Value == "Produced");
        Assert.Equal([("good", $"{good}"), ("scrap", $"{scrap}")], produced.Elements(B + "Quantity").Select(q => (q.Element(B + "Key")!.Value, q.Element(B + "QuantityString")!.Value)));
        Assert.DoesNotContain(segments[1].Elements(B + "MaterialActual"), m => m.Element(B + "MaterialUse")!.Value == "Consumed");
        Assert.All(segments, s => Assert.Equal("Completed", s.Element(B + "SegmentState")!.Value));
    }

    [Fact]
    public async Task Another_tenants_order_and_an_unknown_one_are_not_found()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(1, TimeSpan.FromHours(2));
        using var other = await Host.CreateTenantAsync("erp-other");

        var foreign = await other.Viewer.GetAsync($"/api/v1/erp/orders/{order.Id()}/performance");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var unknown = await cell.Tenant.Viewer.GetAsync("/api/v1/erp/orders/999999999/performance");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>Runs the order through the test cell: milled with one part scrapped, then painted, until it is completed.</summary>
    internal static async Task<(JsonNode Order, CommandedMachine Mill)> RunToCompletionAsync(ProductionCell cell, long orderId)
    {
        var (mill, _, _) = await cell.MillAsync(orderId, 4, Soon);
        await mill.ReportAsync(power: 5, parts: 5, scrap: 1);
        var paint = cell.Machines["paint-1"];
        var painting = await paint.NextAsync("job", Soon);
        await paint.AnswerAsync(painting, "accepted");
        await cell.WaitForOrderAsync(orderId, o => o["jobs"]![1]!["status"]!.GetValue<string>() == "running", Soon);
        await paint.ReportAsync(power: 3);
        await paint.ReportAsync(power: 3, parts: 5);
        return (await cell.WaitForOrderAsync(orderId, o => o["status"]!.GetValue<string>() == "completed", Soon), mill);
    }

    private static async Task<XElement> PerformanceAsync(HttpClient client, long orderId)
    {
        using var answer = await client.GetAsync($"/api/v1/erp/orders/{orderId}/performance");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/xml", answer.Content.Headers.ContentType!.MediaType);
        var document = XDocument.Load(await answer.Content.ReadAsStreamAsync());
        return document.Root!.Element(B + "ProductionResponse")!;
    }

    public sealed class OnSqlite(SqliteProductionHost host) : ErpPerformanceTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ErpPerformanceTests(host), IClassFixture<PostgresProductionHost>;
}
