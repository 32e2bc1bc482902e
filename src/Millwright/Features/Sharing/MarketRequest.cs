namespace Millwright.Features.Sharing;

/// <summary>
/// A buyer's request as the matcher sees it (names lower-case; the part's size sorted, so it may be turned to fit).
/// <paramref name="LeadMs"/>: how long after the quote the work may start at the earliest: the providers' time to
/// answer, so that a quote's machine time has not begun by the time it can be awarded.
/// </summary>
internal sealed record MarketRequest(
    long Id,
    long BuyerTenant,
    IReadOnlyList<RequestStep> Steps,
    string Material,
    double PartMassKg,
    long Quantity,
    double ToleranceMm,
    double[] SizeSorted,
    IReadOnlySet<string> Certifications,
    long DueAt,
    double Budget,
    double MaxDistanceKm,
    double Latitude,
    double Longitude,
    long LeadMs);
