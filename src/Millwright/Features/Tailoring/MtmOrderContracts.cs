namespace Millwright.Features.Tailoring;

/// <summary>
/// A made-to-measure order: a stored customer (<see cref="CustomerId"/>) or measurements given here (with
/// <see cref="Sex"/>), the garment (jacket or trousers) and fabric, and what any production order takes: item
/// (whose routing cuts, sews and finishes), site, due date, priority, number, customer name, release.
/// </summary>
internal sealed record MtmOrderInput(
    long? CustomerId,
    string? Sex,
    IReadOnlyDictionary<string, double>? Measurements,
    string? Garment,
    FabricInput? Fabric,
    string? Number,
    string? Customer,
    long? ItemId,
    long? SiteId,
    DateTimeOffset? DueAt,
    int? Priority,
    bool? Release);

/// <summary>The cloth: a name for people, and the usable width the marker is nested on (mm).</summary>
internal sealed record FabricInput(string? Name, double? WidthMm);

internal sealed record MtmOrderQuery(int? Limit, long? After) : Api.IListQuery;

/// <summary>The production order and its made-to-measure garment; <see cref="Warnings"/> are the borderline measurements.</summary>
internal sealed record MtmOrderDto(Production.OrderDto Order, MadeToMeasureDto MadeToMeasure, IReadOnlyList<string> Warnings);

internal sealed record MadeToMeasureDto(
    long OrderId,
    long? CustomerId,
    string Garment,
    string Fabric,
    double FabricWidthMm,
    string Sex,
    SizeDto Size,
    IReadOnlyDictionary<string, double> Body,
    double MarkerLengthMm,
    double Efficiency,
    int Pieces,
    double CutLengthMm,
    double SeamLengthMm,
    MtmLinks Links,
    DateTimeOffset CreatedAt);

/// <summary>For people (viewer key): the SVGs, the DXF, the marker; for machines (device credential): the DXF and marker by hash.</summary>
internal sealed record MtmLinks(string PatternSvg, string MarkerSvg, string Dxf, string Marker, string DxfFile, string MarkerFile);
