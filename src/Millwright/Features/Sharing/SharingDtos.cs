namespace Millwright.Features.Sharing;

// What each side may see (docs/sharing.md, "Visibility"): the provider's own view of an offer names its machine and
// windows; anyone else sees the terms only. A provider sees requests that fit its offers without the buyer's name,
// location or budget; the buyer's name comes with a bid the buyer chose to send it.

internal sealed record OwnOfferDto(
    long Id, long MachineId, string Machine, long SiteId, IReadOnlyList<string> Processes, IReadOnlyList<MaterialDto> Materials, SizeDto EnvelopeMm,
    double ToleranceMm, IReadOnlyList<string> Certifications, double HourlyRate, double MinimumCharge, double TransportPerKm, double MarginPercent,
    LocationDto Location, int HorizonDays, int ReserveMinutes, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt,
    double IdleHours, IReadOnlyList<WindowDto>? Windows);

internal sealed record MarketOfferDto(
    long Id, string Provider, IReadOnlyList<string> Processes, IReadOnlyList<MaterialDto> Materials, SizeDto EnvelopeMm, double ToleranceMm,
    IReadOnlyList<string> Certifications, double HourlyRate, double MinimumCharge, double TransportPerKm, double MarginPercent, LocationDto Location,
    RecordDto Record);

internal sealed record MaterialDto(string Name, double PricePerKg);

internal sealed record SizeDto(double X, double Y, double Z);

internal sealed record LocationDto(double Latitude, double Longitude);

internal sealed record WindowDto(DateTimeOffset Start, DateTimeOffset End);

internal sealed record RecordDto(long Rated, double OnTimeRate, double QualityRate, double Score);

internal sealed record StepDto(string Process, double SetupMinutes, double UnitSeconds);

internal sealed record RequestDto(
    long Id, string Title, IReadOnlyList<StepDto> Steps, string Material, double PartMassKg, long Quantity, double ToleranceMm, SizeDto PartSizeMm,
    IReadOnlyList<string> Certifications, DateTimeOffset DueAt, double Budget, double MaxDistanceKm, LocationDto Location, int ResponseHours,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? AwardedAt);

/// <summary>A request as a provider whose offers fit it sees it: no buyer, no location, no budget.</summary>
internal sealed record InboxRequestDto(
    long Id, string Title, IReadOnlyList<StepDto> Steps, string Material, double PartMassKg, long Quantity, double ToleranceMm, SizeDto PartSizeMm,
    IReadOnlyList<string> Certifications, DateTimeOffset DueAt, IReadOnlyList<long> MatchingOffers, double DistanceKm);

internal sealed record CandidatesDto(long RequestId, int Considered, IReadOnlyList<CandidateDto> Candidates, IReadOnlyDictionary<string, int> Excluded, string? Explanation);

internal sealed record CandidateDto(
    long OfferId, string Provider, double Price, BreakdownDto Breakdown, double Hours, double Confidence, double DistanceKm,
    DateTimeOffset StartAt, DateTimeOffset CompletionAt, DateTimeOffset DeliveryAt, double Score, RecordDto Record);

internal sealed record BreakdownDto(double Machining, double MinimumTopUp, double Material, double Transport, double Margin);

internal sealed record BidDto(
    long Id, string Role, long RequestId, long OfferId, string Provider, string Buyer, string Status, double Price, double QuotedPrice,
    double? CounterPrice, BreakdownDto Breakdown, double Hours, double Confidence, double DistanceKm, DateTimeOffset StartAt,
    DateTimeOffset CompletionAt, DateTimeOffset DeliveryAt, DateTimeOffset RespondBy, string? Note, DateTimeOffset? RespondedAt,
    DateTimeOffset? AwardedAt, InboxRequestDto? Request, IReadOnlyList<WindowDto>? Windows, int? Step, long? SplitId);

/// <summary>
/// An awarded job. The buyer sees its status, counts, progress and ETA, read from the provider's order; the
/// provider also sees which of its orders it is.
/// </summary>
internal sealed record SharedJobDto(
    long Id, string Role, long RequestId, string Title, string Provider, string Buyer, long Quantity, double Price, string Status,
    long Good, long Scrap, double Progress, DateTimeOffset? Eta, DateTimeOffset PromisedCompletion, DateTimeOffset DeliveryAt, bool Late,
    long? OrderId, int? Rating, bool? QualityPassed, bool? OnTime, long Shipped, long Delivered, int? Step);

/// <summary>A delivery event of a shared job: recorded by the provider, seen by both parties.</summary>
internal sealed record DeliveryDto(long Id, string Kind, long Quantity, string? Reference, DateTimeOffset At);

/// <summary>One side's invoice-ready record of a completed shared job (receivable for the provider, payable for the buyer).</summary>
internal sealed record InvoiceDto(
    long Id, long JobId, string Side, string Counterpart, string Title, long Quantity, long Good, long Scrap, double QuotedHours, double Hours,
    double Price, double Amount, DateTimeOffset PromisedCompletion, DateTimeOffset CompletedAt, bool OnTime, DateTimeOffset CreatedAt);

/// <summary>A file on a request, as its buyer and the providers it asked list it; the type was proven from the content.</summary>
internal sealed record SharedFileDto(long Id, long RequestId, string Name, string Kind, string ContentType, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);

/// <summary>A split plan: who does which step when, with the transport between sites (docs/sharing.md, "Splitting").</summary>
internal sealed record SplitPlanDto(
    long RequestId, bool Feasible, IReadOnlyList<SplitLegDto> Legs, DateTimeOffset? DeliveryAt, double Price, string? Constraint, string? Explanation);

/// <summary>One step on one provider's offer; the transport goes to the next step's site or to the buyer.</summary>
internal sealed record SplitLegDto(
    int Step, string Process, long OfferId, string Provider, double Price, BreakdownDto Breakdown, double Hours, double Confidence,
    DateTimeOffset StartAt, DateTimeOffset CompletionAt, string TransportTo, double TransportKm, double TransportHours, DateTimeOffset ArrivalAt);

/// <summary>
/// A split plan the buyer asked its legs' providers to confirm (docs/sharing.md, "Awarding a split plan"): one bid per
/// leg; the buyer awards all legs at once. Only the buyer sees it; each provider sees its own leg's bid.
/// </summary>
internal sealed record SplitDto(
    long Id, long RequestId, string Status, IReadOnlyList<SplitBidDto> Legs, DateTimeOffset DeliveryAt, double Price, DateTimeOffset CreatedAt);

/// <summary>One leg of a split plan: its bid (status, agreed price), its machine time and the transport onward.</summary>
internal sealed record SplitBidDto(
    int Step, string Process, long BidId, long OfferId, string Provider, string Status, double Price, DateTimeOffset RespondBy, DateTimeOffset StartAt,
    DateTimeOffset CompletionAt, string TransportTo, double TransportKm, double TransportHours, DateTimeOffset ArrivalAt);
