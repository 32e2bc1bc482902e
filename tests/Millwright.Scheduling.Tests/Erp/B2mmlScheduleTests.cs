using System.Text;
using Millwright.Fuzzing;
using Millwright.Scheduling.Erp;

namespace Millwright.Scheduling.Tests.Erp;

public sealed class B2mmlScheduleTests
{
    private const string Open = "<ProductionSchedule xmlns=\"http://www.mesa.org/xml/B2MML-V0600\"><ID>S</ID>";

    private static byte[] Sample() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Erp", "samples", "production-schedule.xml"));

    private static string Request(string id = "PO-1", string end = "<EndTime>2027-04-01T12:00:00Z</EndTime>", string quantity = "<Quantity><QuantityString>3</QuantityString></Quantity>") =>
        $"<ProductionRequest><ID>{id}</ID>{end}<SegmentRequirement><MaterialProducedRequirement><MaterialDefinitionID>BRKT</MaterialDefinitionID>{quantity}" +
        "</MaterialProducedRequirement></SegmentRequirement></ProductionRequest>";

    [Fact]
    public void The_sample_schedule_reads_as_two_orders_with_number_item_quantity_due_priority_site_and_unit()
    {
        var orders = B2mmlSchedule.Read(Sample());

        Assert.Equal(2, orders.Count);
        var first = orders[0];
        Assert.Equal(("PO-4711", "BRKT", 12L, 20, "Works", "count"), (first.ErpNumber, first.Item, first.Quantity, first.Priority!.Value, first.Site, first.Unit));
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 14, 0, 0, TimeSpan.Zero), first.Due);
        Assert.Equal("/ProductionSchedule/ProductionRequest[1]/EndTime", first.Places![ErpOrderCsv.Due].Path);
        var second = orders[1];
        Assert.Equal(("PO-4712", 3L, (int?)null, "Works", (string?)null), (second.ErpNumber, second.Quantity, second.Priority, second.Site, second.Unit));
        Assert.Equal("/ProductionSchedule/ProductionRequest[2]/SegmentRequirement/MaterialProducedRequirement/MaterialDefinitionID", second.Places![ErpOrderCsv.Item].Path);
    }

    [Theory]
    [InlineData("<ProductionSchedule xmlns=\"http://www.mesa.org/xml/B2MML-V0600\"><ID>S</ID>", "/", "not well-formed")]
    [InlineData("<ProductionSchedule><ID>S</ID></ProductionSchedule>", "/ProductionSchedule", "namespace")]
    [InlineData(Open + "</ProductionSchedule>", "/ProductionSchedule", "needs a ProductionRequest")]
    [InlineData(Open + "<Colour>red</Colour></ProductionSchedule>", "/ProductionSchedule/Colour", "not an element of ProductionSchedule")]
    [InlineData(Open + "{request}<PublishedDate>2027-01-01T00:00:00Z</PublishedDate></ProductionSchedule>", "/ProductionSchedule/PublishedDate", "out of order")]
    [InlineData(Open + "<ProductionRequest><ID>PO-1</ID><SegmentRequirement/></ProductionRequest></ProductionSchedule>", "/ProductionSchedule/ProductionRequest", "needs an EndTime")]
    [InlineData(Open + "{end:2027-04-01T12:00:00}</ProductionSchedule>", "/ProductionSchedule/ProductionRequest/EndTime", "offset")]
    [InlineData(Open + "{quantity:ten}</ProductionSchedule>", "/ProductionSchedule/ProductionRequest/SegmentRequirement/MaterialProducedRequirement/Quantity/QuantityString", "not a whole number")]
    [InlineData(Open + "{quantity:0}</ProductionSchedule>", "/ProductionSchedule/ProductionRequest/SegmentRequirement/MaterialProducedRequirement/Quantity/QuantityString", "outside 1..")]
    [InlineData(Open + "{request}{request}</ProductionSchedule>", "/ProductionSchedule/ProductionRequest[2]/ID", "appears again")]
    [InlineData(Open + "<ProductionRequest><ID><Nested/></ID></ProductionRequest></ProductionSchedule>", "/ProductionSchedule/ProductionRequest/ID/Nested", "text only")]
    [InlineData(Open + "<Location><EquipmentID>Works</EquipmentID><EquipmentElementLevel>Area</EquipmentElementLevel></Location>{request}</ProductionSchedule>",
        "/ProductionSchedule/Location/EquipmentElementLevel", "not Site")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"boom\">]>" + Open + "{request}</ProductionSchedule>", "/", "not well-formed")]
    public void A_malformed_schedule_is_refused_with_the_path_of_the_element_at_fault(string document, string path, string problem)
    {
        var xml = document.Replace("{request}", Request(), StringComparison.Ordinal)
            .Replace("{end:2027-04-01T12:00:00}", Request(end: "<EndTime>2027-04-01T12:00:00</EndTime>"), StringComparison.Ordinal)
            .Replace("{quantity:ten}", Request(quantity: "<Quantity><QuantityString>ten</QuantityString></Quantity>"), StringComparison.Ordinal)
            .Replace("{quantity:0}", Request(quantity: "<Quantity><QuantityString>0</QuantityString></Quantity>"), StringComparison.Ordinal);

        var e = Assert.Throws<B2mmlException>(() => B2mmlSchedule.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(path, e.Place.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.True(e.Place.Line >= 1 && e.Place.Column >= 1, e.Message);
    }

    [Fact]
    public void A_missing_element_is_named_at_its_parent_with_line_and_column()
    {
        var xml = Open + "\n  <ProductionRequest>\n    <ID>PO-1</ID>\n  </ProductionRequest>\n</ProductionSchedule>";

        var e = Assert.Throws<B2mmlException>(() => B2mmlSchedule.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(("/ProductionSchedule/ProductionRequest", 2, 4), (e.Place.Path, e.Place.Line, e.Place.Column));
        Assert.StartsWith("/ProductionSchedule/ProductionRequest (line 2, column 4): ProductionRequest needs an EndTime", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_documents_are_read_or_refused_with_a_place_and_nothing_else_escapes()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- b2mml`.
        var engine = B2mmlFuzzing.Engine(20261206);
        var read = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var (_, input) = engine.Next();
            read += B2mmlFuzzing.Check(input);
        }

        Assert.InRange(read, 1, 9_999);
    }
}
