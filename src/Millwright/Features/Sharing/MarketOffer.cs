namespace Millwright.Features.Sharing;

/// <summary>
/// An active offer as the matcher sees it: the terms a provider published, never its machine or plan. Names of
/// processes, materials and certifications are compared case-insensitively (stored lower-case).
/// </summary>
internal sealed record MarketOffer(
    long Id,
    long ProviderTenant,
    string Provider,
    IReadOnlySet<string> Processes,
    IReadOnlyDictionary<string, double> MaterialPricePerKg,
    double[] EnvelopeSorted,
    double ToleranceMm,
    IReadOnlySet<string> Certifications,
    double HourlyRate,
    double MinimumCharge,
    double TransportPerKm,
    double MarginPercent,
    double Latitude,
    double Longitude,
    ProviderRecord Record);
