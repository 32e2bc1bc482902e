using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// A split plan made binding: the buyer asks every leg's provider to confirm its leg (one bid per leg, answered like
/// any bid), then awards the plan whole (<see cref="SplitAwards"/>). A new plan of the same request replaces the
/// earlier one's open legs.
/// </summary>
internal static class Splits
{
    public const string Ready = "ready";

    public static async Task<SplitDto> CreateAsync(Session s, long requestId)
    {
        var row = await SharingStore.OwnRequestAsync(s, requestId) ?? throw ApiProblem.NotFound("request", requestId);
        // Locked first, as asking for a single bid does, so that a cancel of the request runs before or after, never beside.
        if (row.Status != RequestStatus.Open || !await SharingStore.LockOpenRequestAsync(s, requestId))
        {
            throw ApiProblem.Conflict($"Request {requestId} is {(row.Status == RequestStatus.Open ? "no longer open" : row.Status)}; only an open request asks for quotes.");
        }

        var plan = await SplitPlans.PlanOfAsync(s, row);
        if (plan.Constraint is not null)
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "No split plan serves the request", plan.Explanation ?? "No split plan serves the request.")
            {
                Extensions = new Dictionary<string, object?> { ["constraint"] = plan.Constraint },
            };
        }

        await SharingStore.CloseLiveLegsAsync(s, requestId);
        var id = await SharingStore.InsertSplitAsync(s, requestId, plan.Legs.Count, plan.DeliveryAt, plan.Price);
        var respondBy = s.Now + (row.ResponseHours * 3_600_000L);
        var buyer = await ProviderSession.TenantNameAsync(s, s.Tenant);
        foreach (var leg in plan.Legs)
        {
            var q = leg.Quote;
            var bid = await SharingStore.InsertBidAsync(s, requestId, leg.Offer.ProviderTenant, leg.Offer.Id, q, respondBy, id, leg.Step);
            await s.AuditAsync("ask", "sharing_bid", bid,
                $"asked {leg.Offer.Provider} (offer {leg.Offer.Id}) to quote step {leg.Step + 1} ({leg.Work.Process}) of request {requestId}, leg of split plan {id}: {q.Price:0.00}, done by {SharingJson.At(q.EndAt):O}");
            await ProviderSession.For(s, leg.Offer.ProviderTenant, buyer).AuditAsync("receive", "sharing_bid", bid,
                $"{buyer} asks offer {leg.Offer.Id} for step {leg.Step + 1} ({leg.Work.Process}) of {row.Quantity} × '{row.Title}' at {q.Price:0.00}; answer by {SharingJson.At(respondBy):O}");
        }

        await s.AuditAsync("plan", "sharing_split", id,
            $"split request {requestId} over {plan.Legs.Count} legs ({string.Join(", ", plan.Legs.Select(l => $"{l.Work.Process} by {l.Offer.Provider}"))}): {plan.Price:0.00}, delivery {SharingJson.At(plan.DeliveryAt):O}");
        return await GetAsync(s, id);
    }

    public static async Task<SplitDto> GetAsync(Session s, long id)
    {
        var split = await SharingStore.OwnSplitAsync(s, id) ?? throw ApiProblem.NotFound("split plan", id);
        var request = await SharingStore.OwnRequestAsync(s, split.RequestId) ?? throw ApiProblem.NotFound("request", split.RequestId);
        var legs = await SharingStore.LegsAsync(s, id);
        return AsDto(split, request, legs, s.Now);
    }

    /// <summary>
    /// What the plan is, from its legs: awarded (all were, at once), closed (replaced, or the request cancelled or
    /// awarded otherwise), declined or expired (a provider said no or did not answer in time: plan again), ready to
    /// award (every leg accepted or countered), or pending.
    /// </summary>
    public static string Status(IReadOnlyList<BidRow> legs, long now)
    {
        var shown = legs.Select(l => l.ShownStatus(now)).ToList();
        return shown.Contains(BidStatus.Awarded) ? BidStatus.Awarded
            : shown.Contains(BidStatus.Closed) ? BidStatus.Closed
            : shown.Contains(BidStatus.Declined) ? BidStatus.Declined
            : shown.Contains(BidStatus.Expired) ? BidStatus.Expired
            : shown.All(x => x is BidStatus.Accepted or BidStatus.Countered) ? Ready
            : BidStatus.Pending;
    }

    /// <summary>How the buyer names a leg in answers: "Leg 2 (anodizing, Acme GmbH)".</summary>
    public static string Name(BidRow leg, RequestRow request) => $"Leg {leg.Leg + 1} ({request.StepList[leg.Leg ?? 0].Process}, {leg.Provider})";

    private static SplitDto AsDto(SplitRow split, RequestRow request, IReadOnlyList<BidRow> legs, long now)
    {
        var steps = request.StepList;
        var dtos = legs.Select(l => new SplitBidDto(
            l.Leg!.Value + 1, steps[l.Leg.Value].Process, l.Id, l.OfferId, l.Provider, l.ShownStatus(now), l.AgreedPrice, SharingJson.At(l.RespondBy),
            SharingJson.At(l.StartAt), SharingJson.At(l.EndAt), l.Leg.Value + 1 < split.Legs ? "next step" : "buyer", Math.Round(l.DistanceKm, 1),
            Math.Round((l.DeliveryAt - l.EndAt) / 3_600_000.0, 3), SharingJson.At(l.DeliveryAt))).ToList();
        var price = Math.Round(legs.Sum(l => l.AgreedPrice), 2, MidpointRounding.AwayFromZero);
        return new SplitDto(split.Id, split.RequestId, Status(legs, now), dtos, SharingJson.At(split.DeliveryAt), price, SharingJson.At(split.CreatedAt));
    }
}
