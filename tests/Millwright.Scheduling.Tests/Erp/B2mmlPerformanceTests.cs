using System.Xml.Linq;
using Millwright.Scheduling.Erp;

namespace Millwright.Scheduling.Tests.Erp;

public sealed class B2mmlPerformanceTests
{
    private static readonly XNamespace B = B2mmlPerformance.Namespace;

    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero);

    // The element structure docs/erp.md documents: each element's children, in the order the schema sequences them.
    private static readonly Dictionary<string, string[]> Structure = new()
    {
        ["ProductionPerformance"] = ["ID", "PublishedDate", "ProductionResponse"],
        ["ProductionResponse"] = ["ID", "ProductionRequestID", "StartTime", "EndTime", "SegmentResponse", "ResponseState"],
        ["SegmentResponse"] = ["ID", "ProcessSegmentID", "Description", "ActualStartTime", "ActualEndTime", "EquipmentActual", "MaterialActual", "SegmentState"],
        ["EquipmentActual"] = ["EquipmentID", "EquipmentActualProperty"],
        ["EquipmentActualProperty"] = ["ID", "Value"],
        ["Value"] = ["ValueString", "DataType", "UnitOfMeasure"],
        ["MaterialActual"] = ["MaterialDefinitionID", "MaterialUse", "Quantity"],
        ["Quantity"] = ["QuantityString", "DataType", "UnitOfMeasure", "Key"],
    };

    private static PerformanceOrder Order(string status = "completed") => new(
        "SO-1", "PO-4711", status, "BRKT", "pcs", 5, 5, 1, T0, T0.AddHours(2),
        [
            new PerformanceSegment(11, 0, "10 Mill", "done", T0, T0.AddHours(1), 5, 1,
                [
                    new PerformanceRun("mill-a", T0, T0.AddMinutes(20), 2, 0),
                    new PerformanceRun("mill-b", T0.AddMinutes(30), T0.AddHours(1), 3, 1),
                ],
                [new PerformanceMaterial("BLANK", "pcs", 6)]),
            new PerformanceSegment(12, 1, "20 Paint", "done", T0.AddHours(1), T0.AddHours(2), 5, 0,
                [new PerformanceRun("paint-1", T0.AddHours(1), T0.AddHours(2), 5, 0)], []),
        ]);

    [Fact]
    public void A_completed_order_reads_back_with_its_machines_counts_and_materials()
    {
        var document = XDocument.Load(new MemoryStream(B2mmlPerformance.Write(Order(), T0.AddHours(3))));
        var response = document.Root!.Element(B + "ProductionResponse")!;
        Assert.Equal("PO-4711", response.Element(B + "ProductionRequestID")!.Value);
        Assert.Equal("Completed", response.Element(B + "ResponseState")!.Value);
        Assert.Equal("2027-03-01T06:00:00.000Z", response.Element(B + "StartTime")!.Value);

        var milling = response.Elements(B + "SegmentResponse").First();
        Assert.Equal(["mill-a", "mill-b"], milling.Elements(B + "EquipmentActual").Select(e => e.Element(B + "EquipmentID")!.Value));
        var consumed = milling.Elements(B + "MaterialActual").Single(m => m.Element(B + "MaterialUse")!.Value == "Consumed");
        Assert.Equal(("BLANK", "6", "pcs"), (consumed.Element(B + "MaterialDefinitionID")!.Value,
            consumed.Element(B + "Quantity")!.Element(B + "QuantityString")!.Value, consumed.Element(B + "Quantity")!.Element(B + "UnitOfMeasure")!.Value));
        var produced = milling.Elements(B + "MaterialActual").Single(m => m.Element(B + "MaterialUse")!.Value == "Produced");
        Assert.Equal([("good", "5"), ("scrap", "1")],
            produced.Elements(B + "Quantity").Select(q => (q.Element(B + "Key")!.Value, q.Element(B + "QuantityString")!.Value)));
        Assert.Equal("Completed", milling.Element(B + "SegmentState")!.Value);
    }

    [Theory]
    [InlineData("planned")]
    [InlineData("in_progress")]
    [InlineData("completed")]
    public void Every_element_follows_the_documented_structure_in_its_order(string status)
    {
        var document = XDocument.Load(new MemoryStream(B2mmlPerformance.Write(Order(status), T0)));
        Assert.Equal(B + "ProductionPerformance", document.Root!.Name);
        foreach (var element in document.Root.DescendantsAndSelf().Where(e => e.HasElements))
        {
            Assert.True(Structure.TryGetValue(element.Name.LocalName, out var allowed), $"{element.Name.LocalName} is not documented");
            var positions = element.Elements().Select(child =>
            {
                Assert.Equal(B, child.Name.Namespace);
                var position = Array.IndexOf(allowed!, child.Name.LocalName);
                Assert.True(position >= 0, $"{child.Name.LocalName} is not documented under {element.Name.LocalName}");
                return position;
            }).ToList();
            Assert.Equal(positions.Order(), positions);
        }
    }

    [Theory]
    [InlineData("planned", "Waiting")]
    [InlineData("released", "Ready")]
    [InlineData("in_progress", "Running")]
    [InlineData("cancelled", "Aborted")]
    public void Order_statuses_become_ISA_95_response_states(string status, string state) =>
        Assert.Equal(state, B2mmlPerformance.OrderState(status));

    [Fact]
    public void An_unknown_status_is_refused_rather_than_written()
    {
        Assert.Throws<ArgumentException>(() => B2mmlPerformance.OrderState("paused"));
        Assert.Throws<ArgumentException>(() => B2mmlPerformance.SegmentState("paused"));
    }
}
