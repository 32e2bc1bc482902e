using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>
/// Awarded jobs as each side follows them: status, counts, progress and ETA read from the provider's order (and
/// only that order), and the buyer's rating once it is complete, which makes the provider's record.
/// </summary>
internal static class SharedJobs
{
    public static async Task<Page<SharedJobDto>> ListAsync(Session s, SharingListQuery query, PageRequest page)
    {
        var rows = await SharingStore.BidsAsync(s, SharingRoles.IsProvider(query.Role), awarded: true, page.After, page.Limit);
        var dtos = new Dictionary<long, SharedJobDto>();
        foreach (var row in rows.Take(page.Limit))
        {
            dtos[row.Id] = await AsDtoAsync(s, row);
        }

        return page.ToPage(rows, r => r.Id, r => dtos[r.Id]);
    }

    public static async Task<SharedJobDto> GetAsync(Session s, long id)
    {
        var bid = await SharingStore.BidAsync(s, id);
        return bid is { Status: BidStatus.Awarded } ? await AsDtoAsync(s, bid) : throw ApiProblem.NotFound("shared job", id);
    }

    public static async Task<SharedJobDto> RateAsync(Session s, long id, RatingInput input)
    {
        var v = new Validator();
        if (input.Score is not (>= 1 and <= 5))
        {
            v.Add("score", "is required: 1 (poor) to 5 (excellent)");
        }

        if (input.QualityPassed is null)
        {
            v.Add("qualityPassed", "is required: whether the parts passed the buyer's inspection");
        }

        v.ThrowIfInvalid();
        var bid = await SharingStore.BidAsync(s, id);
        if (bid is not { Status: BidStatus.Awarded })
        {
            throw ApiProblem.NotFound("shared job", id);
        }

        if (bid.TenantId != s.Tenant)
        {
            throw ApiProblem.Forbidden($"Only the buyer rates shared job {id}.");
        }

        if (bid.Rating is not null)
        {
            throw ApiProblem.Conflict($"Shared job {id} is rated already.");
        }

        var buyer = await ProviderSession.TenantNameAsync(s, s.Tenant);
        var ps = ProviderSession.For(s, bid.ProviderTenantId, buyer);
        var order = await ProductionStore.OrderAsync(ps, bid.OrderId ?? 0);
        if (order is not { Status: OrderStatus.Completed, CompletedAt: { } completed })
        {
            throw ApiProblem.Conflict($"Shared job {id} is {order?.Status ?? "gone"}; it is rated once completed.");
        }

        var onTime = completed <= bid.EndAt;
        if (!await SharingStore.RateBidAsync(s, id, input.Score!.Value, input.QualityPassed!.Value, onTime))
        {
            throw ApiProblem.Conflict($"Shared job {id} was rated meanwhile.");
        }

        var summary = $"rated shared job {id}: {input.Score}/5, quality {(input.QualityPassed!.Value ? "passed" : "failed")}, {(onTime ? "on time" : "late")}";
        await s.AuditAsync("rate", "sharing_bid", id, summary);
        await ps.AuditAsync("rate", "sharing_bid", id, $"{buyer} {summary}");
        return await GetAsync(s, id);
    }

    private static async Task<SharedJobDto> AsDtoAsync(Session s, BidRow bid)
    {
        var asProvider = bid.ProviderTenantId == s.Tenant;
        var request = await SharingStore.RequestOfBidAsync(s, bid);
        var order = await ProductionStore.OrderAsync(ProviderSession.For(s, bid.ProviderTenantId, bid.Buyer), bid.OrderId ?? 0);
        var quantity = request?.Quantity ?? 0;
        var good = order?.Good ?? 0;
        var end = order?.CompletedAt ?? order?.EtaAt;
        var (shipped, delivered) = await SharingStore.DeliveredAsync(s, bid.Id);
        return new SharedJobDto(
            bid.Id, asProvider ? "provider" : "buyer", bid.RequestId, request?.Title ?? "", bid.Provider, bid.Buyer, quantity, bid.AgreedPrice,
            order?.Status ?? OrderStatus.Cancelled, good, order?.Scrap ?? 0, quantity == 0 ? 0 : Math.Round(Math.Min(1, (double)good / quantity), 3),
            end is { } e ? SharingJson.At(e) : null, SharingJson.At(bid.EndAt), SharingJson.At(bid.DeliveryAt), end > bid.EndAt,
            asProvider ? bid.OrderId : null, bid.Rating, bid.QualityPassed is { } q ? q == 1 : null, bid.OnTime is { } t ? t == 1 : null, shipped, delivered,
            bid.Leg is { } leg ? leg + 1 : null);
    }
}
