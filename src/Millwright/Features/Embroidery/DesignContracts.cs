namespace Millwright.Features.Embroidery;

/// <summary>
/// A design as stored: the stitch file (content-addressed, <see cref="Sha256"/>), its stats, the thread plan in
/// sewing order, the price, and where to fetch the preview and the file.
/// </summary>
internal sealed record DesignDto(
    long Id,
    string Name,
    string Fabric,
    string Sha256,
    string SourceSha256,
    long DstBytes,
    double WidthMm,
    double HeightMm,
    long Stitches,
    long ColourChanges,
    long Trims,
    long Jumps,
    IReadOnlyList<string> Threads,
    long RunSeconds,
    PriceDto Price,
    IReadOnlyList<string> Warnings,
    DateTimeOffset CreatedAt,
    DesignLinks Links) : Api.IHasId;

/// <summary>Per piece, and once per order; <see cref="Formula"/> says how they were reached.</summary>
internal sealed record PriceDto(string Currency, decimal PerPiece, decimal Setup, string Formula);

internal sealed record DesignLinks(string PreviewPng, string PreviewSvg, string Dst, string StitchFile);

internal sealed record DesignQuery(int? Limit, long? After) : Api.IListQuery;

/// <summary>An order of <see cref="Quantity"/> pieces of a design, made as the item's routing says.</summary>
internal sealed record DesignOrderInput(
    string? Number,
    string? Customer,
    long? ItemId,
    long? SiteId,
    long? Quantity,
    DateTimeOffset? DueAt,
    int? Priority,
    bool? Release);

internal sealed record DesignOrderDto(Production.OrderDto Order, long DesignId, string Currency, decimal Total);
