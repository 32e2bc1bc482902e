namespace Millwright.Features.Erp;

/// <summary>What one material import did, in total and per MaterialDefinition of the document.</summary>
internal sealed record ErpMaterialResult(int Created, int Updated, int Unchanged, int Refused, IReadOnlyList<ErpMaterialRow> Rows);

/// <summary>
/// One material: <c>created</c> (a new inventory item), <c>updated</c> (description, unit, cost or classes
/// changed), <c>unchanged</c>, or <c>refused</c> with the reason (an item with stock movements keeps its unit).
/// <see cref="Line"/> is where its MaterialDefinition starts.
/// </summary>
internal sealed record ErpMaterialRow(int Line, string MaterialId, long? ItemId, string Outcome, string? Reason);
