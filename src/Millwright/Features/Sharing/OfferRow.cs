namespace Millwright.Features.Sharing;

/// <summary>An offer as the store reads it, with its provider's name and its machine's name (the latter for the provider only).</summary>
internal sealed class OfferRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Provider { get; set; } = "";
    public long MachineId { get; set; }
    public string Machine { get; set; } = "";
    public long SiteId { get; set; }
    public string Processes { get; set; } = "[]";
    public string Materials { get; set; } = "[]";
    public double EnvelopeXMm { get; set; }
    public double EnvelopeYMm { get; set; }
    public double EnvelopeZMm { get; set; }
    public double ToleranceMm { get; set; }
    public string Certifications { get; set; } = "[]";
    public double HourlyRate { get; set; }
    public double MinimumCharge { get; set; }
    public double TransportPerKm { get; set; }
    public double MarginPercent { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public int HorizonDays { get; set; }
    public int ReserveMinutes { get; set; }
    public string Status { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? CancelledAt { get; set; }

    public IReadOnlyList<string> ProcessList => SharingJson.Read<List<string>>(Processes);

    public IReadOnlyList<MaterialDto> MaterialList => SharingJson.Read<List<MaterialDto>>(Materials);

    public IReadOnlyList<string> CertificationList => SharingJson.Read<List<string>>(Certifications);

    public SizeDto Envelope => new(EnvelopeXMm, EnvelopeYMm, EnvelopeZMm);

    public MarketOffer ToMarket(ProviderRecord record) => new(
        Id, TenantId, Provider,
        ProcessList.Select(p => p.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
        MaterialList.GroupBy(m => m.Name.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().PricePerKg, StringComparer.Ordinal),
        [.. new[] { EnvelopeXMm, EnvelopeYMm, EnvelopeZMm }.Order()],
        ToleranceMm,
        CertificationList.Select(c => c.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
        HourlyRate, MinimumCharge, TransportPerKm, MarginPercent, Latitude, Longitude, record);

    public MarketOfferDto AsMarketDto(ProviderRecord record) => new(
        Id, Provider, ProcessList, MaterialList, Envelope, ToleranceMm, CertificationList, HourlyRate, MinimumCharge, TransportPerKm, MarginPercent,
        new LocationDto(Latitude, Longitude), SharingDtosMapping.Record(record));
}
