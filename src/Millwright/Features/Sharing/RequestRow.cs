namespace Millwright.Features.Sharing;

/// <summary>A request as the store reads it.</summary>
internal sealed class RequestRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Title { get; set; } = "";
    public string Steps { get; set; } = "[]";
    public string Material { get; set; } = "";
    public double PartMassKg { get; set; }
    public long Quantity { get; set; }
    public double ToleranceMm { get; set; }
    public double SizeXMm { get; set; }
    public double SizeYMm { get; set; }
    public double SizeZMm { get; set; }
    public string Certifications { get; set; } = "[]";
    public long DueAt { get; set; }
    public double Budget { get; set; }
    public double MaxDistanceKm { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public int ResponseHours { get; set; }
    public string Status { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? AwardedAt { get; set; }

    public IReadOnlyList<StepDto> StepList => SharingJson.Read<List<StepDto>>(Steps);

    public IReadOnlyList<string> CertificationList => SharingJson.Read<List<string>>(Certifications);

    public SizeDto Size => new(SizeXMm, SizeYMm, SizeZMm);

    public MarketRequest ToMarket() => new(
        Id, TenantId,
        StepList.Select(s => new RequestStep(s.Process.ToLowerInvariant(), s.SetupMinutes, s.UnitSeconds)).ToList(),
        Material.ToLowerInvariant(), PartMassKg, Quantity, ToleranceMm,
        [.. new[] { SizeXMm, SizeYMm, SizeZMm }.Order()],
        CertificationList.Select(c => c.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
        DueAt, Budget, MaxDistanceKm, Latitude, Longitude, ResponseHours * 3_600_000L);

    public RequestDto AsDto() => new(
        Id, Title, StepList, Material, PartMassKg, Quantity, ToleranceMm, Size, CertificationList, SharingJson.At(DueAt), Budget, MaxDistanceKm,
        new LocationDto(Latitude, Longitude), ResponseHours, Status, SharingJson.At(CreatedAt), AwardedAt is { } a ? SharingJson.At(a) : null);

    /// <summary>
    /// What a provider may see of it (docs/sharing.md, "Visibility"); the provider of a split plan's leg sees only
    /// the step of its leg (<paramref name="onlyStep"/>, 0-based), nothing of the other legs.
    /// </summary>
    public InboxRequestDto AsInboxDto(IReadOnlyList<long> matchingOffers, double distanceKm, int? onlyStep = null) => new(
        Id, Title, onlyStep is { } step ? [StepList[step]] : StepList, Material, PartMassKg, Quantity, ToleranceMm, Size, CertificationList, SharingJson.At(DueAt), matchingOffers,
        Math.Round(distanceKm, 1));
}
