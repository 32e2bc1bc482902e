namespace Millwright.Scheduling.Erp;

/// <summary>
/// One material definition of the ERP's master data: its ID (the item's SKU), description (the item's name; the
/// ID when the document gives none), unit and standard cost when the document names them, and its classes in the
/// document's order. <see cref="Places"/> says where the ID, unit and cost stood (by <see cref="B2mmlMaterials"/>'
/// keys), so the importer can name the element it refuses; it is empty for materials written out.
/// </summary>
public sealed record ErpMaterial(string Id, string Description, string? Unit, double? UnitCost, IReadOnlyList<string> Classes)
{
    public IReadOnlyDictionary<string, ErpPlace> Places { get; init; } = new Dictionary<string, ErpPlace>();

    public bool SameAs(ErpMaterial other) =>
        Id == other.Id && Description == other.Description && Unit == other.Unit && UnitCost == other.UnitCost && Classes.SequenceEqual(other.Classes);
}
