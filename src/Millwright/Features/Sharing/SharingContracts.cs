namespace Millwright.Features.Sharing;

// Inputs: every member nullable, so that a missing field is reported by name rather than by the binder.

internal sealed record OfferInput(
    long? MachineId,
    IReadOnlyList<string>? Processes,
    IReadOnlyList<MaterialInput>? Materials,
    SizeMm? EnvelopeMm,
    double? ToleranceMm,
    IReadOnlyList<string>? Certifications,
    double? HourlyRate,
    double? MinimumCharge,
    double? TransportPerKm,
    double? MarginPercent,
    int? HorizonDays,
    int? ReserveMinutes);

internal sealed record MaterialInput(string? Name, double? PricePerKg);

internal sealed record SizeMm(double? X, double? Y, double? Z);

internal sealed record Location(double? Latitude, double? Longitude);

internal sealed record RequestInput(
    string? Title,
    IReadOnlyList<StepInput>? Steps,
    string? Material,
    double? PartMassKg,
    long? Quantity,
    double? ToleranceMm,
    SizeMm? PartSizeMm,
    IReadOnlyList<string>? Certifications,
    DateTimeOffset? DueAt,
    double? Budget,
    double? MaxDistanceKm,
    Location? Location,
    int? ResponseHours);

internal sealed record StepInput(string? Process, double? SetupMinutes, double? UnitSeconds);

internal sealed record BidInput(long? OfferId);

internal sealed record CounterInput(double? Price, string? Note);

internal sealed record ResponseInput(string? Note);

internal sealed record RatingInput(int? Score, bool? QualityPassed);

internal sealed record DeliveryInput(string? Kind, long? Quantity, string? Reference);

internal sealed record SharingListQuery(int? Limit, long? After, string? Role) : Millwright.Api.IListQuery;
