namespace Millwright.Scheduling.Erp;

/// <summary>
/// One production order as the ERP sent it, checked for form only (what exists in the plant is the importer's
/// business). <see cref="Line"/> is where its record starts; <see cref="ItemColumn"/> and <see cref="SiteColumn"/>
/// are the field positions the importer names when it cannot resolve them (0 when the file has no site column).
/// Null optional fields were absent or empty.
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
    int DueColumn);
