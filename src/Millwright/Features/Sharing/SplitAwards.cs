using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The award of a split plan: every leg's machine time is booked and every leg becomes an external order in its
/// provider's production, in one transaction over all the tenants involved, or nothing is written (docs/sharing.md,
/// "Awarding a split plan"). A leg whose window was taken refuses the whole award, and the answer names the leg.
/// </summary>
internal static class SplitAwards
{
    /// <summary>Awards the buyer's split plan; returns it with the providers whose planners the caller asks for a plan after commit.</summary>
    public static async Task<(SplitDto Split, IReadOnlyList<long> Providers)> AwardAsync(Session s, long id)
    {
        var split = await SharingStore.OwnSplitAsync(s, id) ?? throw ApiProblem.NotFound("split plan", id);
        var request = await SharingStore.OwnRequestAsync(s, split.RequestId) ?? throw ApiProblem.NotFound("request", split.RequestId);
        var legs = await SharingStore.LegsAsync(s, id);
        foreach (var leg in legs)
        {
            if (leg.Status is not (BidStatus.Accepted or BidStatus.Countered))
            {
                throw AwardBooking.Refusal(leg, $"{Splits.Name(leg, request)}, bid {leg.Id}, " + leg.ShownStatus(s.Now) switch
                {
                    BidStatus.Pending => "is not answered yet; every leg must be accepted or countered before the plan is awarded.",
                    BidStatus.Expired => $"expired unanswered at {SharingJson.At(leg.RespondBy):O}; ask for a new split plan.",
                    var status => $"is {status}; ask for a new split plan.",
                });
            }
        }

        // The request row first, as every path that changes a request and its bids takes it (see Bids.AwardAsync).
        if (request.Status != RequestStatus.Open || !await SharingStore.LockOpenRequestAsync(s, request.Id))
        {
            throw ApiProblem.Conflict($"Request {request.Id} is {(request.Status == RequestStatus.Open ? "no longer open" : request.Status)}; it cannot be awarded.");
        }

        if (legs.FirstOrDefault(l => s.Now >= l.StartAt) is { } begun)
        {
            throw AwardBooking.Refusal(begun,
                $"{Splits.Name(begun, request)}: the machine time quoted in bid {begun.Id} began at {SharingJson.At(begun.StartAt):O}: the plan has expired; ask for a new split plan.");
        }

        var buyer = await ProviderSession.TenantNameAsync(s, s.Tenant);
        // The legs' offers are locked in offer-id order, one fixed order for every award, so that two awards sharing
        // providers (split or whole) wait for each other instead of each holding an offer the other needs.
        foreach (var leg in legs.DistinctBy(l => l.OfferId).OrderBy(l => l.OfferId))
        {
            if (!await SharingStore.LockOfferAsync(ProviderSession.For(s, leg.ProviderTenantId, buyer), leg.OfferId))
            {
                throw AwardBooking.Refusal(leg, $"{Splits.Name(leg, request)}: offer {leg.OfferId} was withdrawn; nothing was booked on any leg. Ask for a new split plan.");
            }
        }

        var booked = new List<(BidRow Leg, string Machine, int Pieces)>();
        foreach (var leg in legs)
        {
            var ps = ProviderSession.For(s, leg.ProviderTenantId, buyer);
            var (orderId, offer, pieces) = await AwardBooking.BookAsync(ps, leg, request, Splits.Name(leg, request));
            if (!await SharingStore.AwardBidAsync(s, leg.Id, orderId))
            {
                throw ApiProblem.Conflict($"{Splits.Name(leg, request)} was awarded meanwhile.");
            }

            booked.Add((leg, offer.Machine, pieces));
        }

        if (!await SharingStore.CloseRequestAsync(s, request.Id, RequestStatus.Awarded))
        {
            throw ApiProblem.Conflict($"Request {request.Id} was awarded meanwhile.");
        }

        await SharingStore.CloseBidsOutsideSplitAsync(s, request.Id, id);
        var steps = request.StepList;
        foreach (var (leg, machine, pieces) in booked)
        {
            var step = $"step {leg.Leg + 1} ({steps[leg.Leg ?? 0].Process})";
            await s.AuditAsync("award", "sharing_bid", leg.Id,
                $"awarded {step} of request {request.Id} to {leg.Provider} at {leg.AgreedPrice:0.00}, promised by {SharingJson.At(leg.EndAt):O} (split plan {id})");
            await ProviderSession.For(s, leg.ProviderTenantId, buyer).AuditAsync("award", "sharing_bid", leg.Id,
                $"{buyer} awarded bid {leg.Id} for {step} at {leg.AgreedPrice:0.00}: order SH-{leg.Id} on machine {machine}, {pieces} booked window(s)");
        }

        await s.AuditAsync("award", "sharing_split", id, $"awarded split plan {id} of request {request.Id}: {legs.Count} legs, delivery {SharingJson.At(split.DeliveryAt):O}");
        return (await Splits.GetAsync(s, id), legs.Select(l => l.ProviderTenantId).Distinct().ToList());
    }
}
