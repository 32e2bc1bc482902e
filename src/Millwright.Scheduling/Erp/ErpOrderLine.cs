namespace Millwright.Scheduling.Erp;

/// <summary>
/// One production order as the ERP sent it, checked for form only (what exists in the plant is the importer's
/// business). <see cref="Line"/> is where its record starts; <see cref="ItemColumn"/> and <see cref="SiteColumn"/>
/// are the field positions the importer names when it cannot resolve them (0 when the file has no site column).
/// Null optional fields were absent or empty. An order read from B2MML also carries the <see cref="Unit"/> its
/// quantity is given in (checked against the item's) and the <see cref="Places"/> of its values, by the CSV column
/// name they stand for, so a refusal names the element rather than a column.
/// </summary>
public sealed record ErpOrderLine(
    int Line,
    string ErpNumber,
    string Item,
    long Quantity,
    DateTimeOffset Due,
    int? Priority,
    string? Site,
    string? Customer,
    int ItemColumn,
    int SiteColumn,
    int DueColumn,
    string? Unit = null,
    IReadOnlyDictionary<string, ErpPlace>? Places = null);
