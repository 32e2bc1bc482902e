using System.Xml.Linq;
using static Millwright.Scheduling.Erp.B2mmlChild;
using static Millwright.Scheduling.Erp.B2mmlXml;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// Reads production orders an ERP sends as a B2MML (ISA-95, V0600) ProductionSchedule: one ProductionRequest per
/// order, its ID the ERP's order number, EndTime the due time, Priority, Location the site, and one
/// SegmentRequirement whose MaterialProducedRequirement names the item and quantity (the plant makes it by the
/// item's own routing). The document is checked against <see cref="Rules"/> (docs/erp.md) and every value's form;
/// the first fault is refused with the element's path, so a document is read whole or not at all.
/// </summary>
public static class B2mmlSchedule
{
    public const string Root = "ProductionSchedule";

    /// <summary>The key of the quantity's unit among an order's places.</summary>
    public const string Unit = "unit";

    /// <summary>Each element's children in the schema's sequence; elements without a rule hold text.</summary>
    public static IReadOnlyDictionary<string, B2mmlChild[]> Rules { get; } = new Dictionary<string, B2mmlChild[]>(StringComparer.Ordinal)
    {
        [Root] =
        [
            One("ID"), Ignored("Description", Many), Optional("Location"), Ignored("HierarchyScope"), Optional("PublishedDate"),
            Ignored("StartTime"), Ignored("EndTime"), Ignored("EquipmentElementLevel"), new("ProductionRequest", 1, ErpOrderCsv.MaxOrders),
            Ignored("ScheduleState"),
        ],
        ["ProductionRequest"] =
        [
            One("ID"), Ignored("Description", Many), Ignored("ProductProductionRuleID", Many), Ignored("Version", Many), Optional("Location"),
            Ignored("HierarchyScope"), Ignored("StartTime"), One("EndTime"), Optional("Priority"), One("SegmentRequirement"),
            Ignored("SegmentResponse", Many), Ignored("RequestState"),
        ],
        ["Location"] = [One("EquipmentID"), Optional("EquipmentElementLevel"), Ignored("Location")],
        ["SegmentRequirement"] =
        [
            Optional("ID"), Ignored("ProductSegmentID"), Ignored("ProcessSegmentID"), Ignored("Description", Many), Ignored("Location"),
            Ignored("HierarchyScope"), Ignored("EarliestStartTime"), Ignored("LatestEndTime"), Ignored("Duration"),
            Ignored("ProductionParameter", Many), Ignored("PersonnelRequirement", Many), Ignored("EquipmentRequirement", Many),
            Ignored("PhysicalAssetRequirement", Many), Ignored("MaterialRequirement", Many), One("MaterialProducedRequirement"),
            Ignored("MaterialConsumedRequirement", Many), Ignored("ConsumableExpectedRequirement", Many), Ignored("SegmentRequirement", Many),
            Ignored("RequiredByRequestedSegmentResponse"), Ignored("SegmentState"),
        ],
        ["MaterialProducedRequirement"] =
        [
            Ignored("MaterialClassID", Many), One("MaterialDefinitionID"), Ignored("MaterialLotID", Many), Ignored("MaterialSubLotID", Many),
            Ignored("Description", Many), Ignored("Location"), Ignored("HierarchyScope"), One("Quantity"),
            Ignored("MaterialProducedRequirementProperty", Many), Ignored("RequiredByRequestedSegmentResponse"),
        ],
        ["Quantity"] = [One("QuantityString"), Optional("DataType"), Optional("UnitOfMeasure"), Optional("Key")],
    };

    public static IReadOnlyList<ErpOrderLine> Read(ReadOnlySpan<byte> input)
    {
        var root = Load(input, Rules, Root);
        Text(Child(root, "ID")!, ErpOrderCsv.MaxNumberLength);
        if (Child(root, "PublishedDate") is { } published)
        {
            Time(published);
        }

        var defaultSite = Child(root, "Location") is { } location ? Site(location) : null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var orders = new List<ErpOrderLine>();
        foreach (var request in Children(root, "ProductionRequest"))
        {
            var id = Child(request, "ID")!;
            var number = Text(id, ErpOrderCsv.MaxNumberLength);
            if (!seen.TryAdd(number, PlaceOf(request).Line))
            {
                throw new B2mmlException(PlaceOf(id), $"order '{number}' appears again (first on line {seen[number]}); one ProductionRequest per order");
            }

            var end = Child(request, "EndTime")!;
            var priority = Child(request, "Priority") is { } p ? (int?)Whole(p, 1, 100) : null;
            var site = Child(request, "Location") is { } own ? Site(own) : defaultSite;
            var produced = Child(Child(request, "SegmentRequirement")!, "MaterialProducedRequirement")!;
            var item = Child(produced, "MaterialDefinitionID")!;
            var quantity = Child(produced, "Quantity")!;
            var amount = Child(quantity, "QuantityString")!;
            var unit = Child(quantity, "UnitOfMeasure");
            var places = new Dictionary<string, ErpPlace>(StringComparer.Ordinal)
            {
                [ErpOrderCsv.Number] = PlaceOf(id),
                [ErpOrderCsv.Item] = PlaceOf(item),
                [ErpOrderCsv.Quantity] = PlaceOf(amount),
                [ErpOrderCsv.Due] = PlaceOf(end),
                [ErpOrderCsv.Site] = site?.Place ?? PlaceOf(request),
                [Unit] = unit is null ? PlaceOf(quantity) : PlaceOf(unit),
            };
            orders.Add(new ErpOrderLine(PlaceOf(request).Line, number, Text(item), Whole(amount, 1, ErpOrderCsv.MaxQuantity), Time(end), priority,
                site?.Name, null, places[ErpOrderCsv.Item].Column, places[ErpOrderCsv.Site].Column, places[ErpOrderCsv.Due].Column,
                unit is null ? null : Text(unit), places));
        }

        return orders;
    }

    /// <summary>A Location names the site by its EquipmentID; a level, when given, must say it is a site.</summary>
    private static (string Name, ErpPlace Place)? Site(XElement location)
    {
        if (Child(location, "EquipmentElementLevel") is { } level && !string.Equals(level.Value.Trim(), "Site", StringComparison.OrdinalIgnoreCase))
        {
            throw new B2mmlException(PlaceOf(level), $"orders are placed at a site; the level is '{level.Value.Trim()}', not Site");
        }

        var equipment = Child(location, "EquipmentID")!;
        return (Text(equipment), PlaceOf(equipment));
    }
}
