namespace Millwright.Features.Sharing;

/// <summary>A bid (and, once awarded, a shared job) as the store reads it, with both parties' names.</summary>
internal sealed class BidRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Buyer { get; set; } = "";
    public long RequestId { get; set; }
    public long ProviderTenantId { get; set; }
    public string Provider { get; set; } = "";
    public long OfferId { get; set; }
    public double Price { get; set; }
    public double Hours { get; set; }
    public double Confidence { get; set; }
    public double DistanceKm { get; set; }
    public string Windows { get; set; } = "[]";
    public long StartAt { get; set; }
    public long EndAt { get; set; }
    public long DeliveryAt { get; set; }
    public string Breakdown { get; set; } = "{}";
    public long RespondBy { get; set; }
    public string Status { get; set; } = "";
    public double? CounterPrice { get; set; }
    public string? Note { get; set; }
    public long? RespondedAt { get; set; }
    public long? AwardedAt { get; set; }
    public long? OrderId { get; set; }
    public int? Rating { get; set; }
    public long? QualityPassed { get; set; }
    public long? OnTime { get; set; }
    public long CreatedAt { get; set; }

    /// <summary>The split plan this bid is a leg of, and the request's step (0-based) it covers; null for a whole-request bid.</summary>
    public long? SplitId { get; set; }

    public int? Leg { get; set; }

    /// <summary>What the buyer pays if it awards: the provider's counter price when it countered.</summary>
    public double AgreedPrice => CounterPrice ?? Price;

    /// <summary>The status to show: a pending bid past its deadline is expired (no row changes at the deadline).</summary>
    public string ShownStatus(long now) => Status == BidStatus.Pending && now >= RespondBy ? BidStatus.Expired : Status;

    public BidDto AsDto(long viewer, long now, InboxRequestDto? request) => new(
        Id, viewer == TenantId ? "buyer" : "provider", RequestId, OfferId, Provider, Buyer, ShownStatus(now), AgreedPrice, Price, CounterPrice,
        SharingDtosMapping.Breakdown(SharingJson.Read<QuoteBreakdown>(Breakdown)), Math.Round(Hours, 3), Confidence, Math.Round(DistanceKm, 1),
        SharingJson.At(StartAt), SharingJson.At(EndAt), SharingJson.At(DeliveryAt), SharingJson.At(RespondBy), Note,
        RespondedAt is { } r ? SharingJson.At(r) : null, AwardedAt is { } a ? SharingJson.At(a) : null,
        request, viewer == ProviderTenantId ? SharingDtosMapping.Windows(SharingJson.ReadWindows(Windows)) : null,
        Leg is { } leg ? leg + 1 : null, viewer == TenantId ? SplitId : null);
}
