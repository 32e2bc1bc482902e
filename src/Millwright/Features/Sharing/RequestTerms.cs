namespace Millwright.Features.Sharing;

/// <summary>A request's validated terms, as stored.</summary>
internal sealed record RequestTerms(
    string Title,
    IReadOnlyList<StepDto> Steps,
    string Material,
    double PartMassKg,
    long Quantity,
    double ToleranceMm,
    SizeDto Size,
    IReadOnlyList<string> Certifications,
    long DueAt,
    double Budget,
    double MaxDistanceKm,
    double Latitude,
    double Longitude,
    int ResponseHours);
