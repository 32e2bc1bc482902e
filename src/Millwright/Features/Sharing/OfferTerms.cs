namespace Millwright.Features.Sharing;

/// <summary>An offer's validated terms, as stored.</summary>
internal sealed record OfferTerms(
    IReadOnlyList<string> Processes,
    IReadOnlyList<MaterialDto> Materials,
    SizeDto Envelope,
    double ToleranceMm,
    IReadOnlyList<string> Certifications,
    double HourlyRate,
    double MinimumCharge,
    double TransportPerKm,
    double MarginPercent,
    double Latitude,
    double Longitude,
    int HorizonDays,
    int ReserveMinutes);
