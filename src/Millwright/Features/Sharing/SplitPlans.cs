using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The split plan of a buyer's open request over others' active offers (<see cref="SplitPlanner"/>). Only offers
/// that can do at least one step have their provider's plan read; the answer shows terms and times, never machines.
/// </summary>
internal static class SplitPlans
{
    public static async Task<SplitPlanDto> PlanAsync(Session s, long id)
    {
        var row = await SharingStore.OwnRequestAsync(s, id) ?? throw ApiProblem.NotFound("request", id);
        if (row.Status != RequestStatus.Open)
        {
            throw ApiProblem.Conflict($"Request {id} is {row.Status}; only an open request is planned.");
        }

        var plan = await PlanOfAsync(s, row);
        var legs = plan.Legs.Select(l => new SplitLegDto(
            l.Step + 1, l.Work.Process, l.Offer.Id, l.Offer.Provider, l.Quote.Price, SharingDtosMapping.Breakdown(l.Quote.Breakdown), Math.Round(l.Quote.Hours, 3),
            l.Quote.Confidence, SharingJson.At(l.Quote.StartAt), SharingJson.At(l.Quote.EndAt), l.Step + 1 < plan.Legs.Count ? "next step" : "buyer",
            Math.Round(l.Quote.DistanceKm, 1), Math.Round((l.Quote.DeliveryAt - l.Quote.EndAt) / 3_600_000.0, 3), SharingJson.At(l.Quote.DeliveryAt))).ToList();
        return new SplitPlanDto(id, plan.Constraint is null, legs, legs.Count > 0 ? (DateTimeOffset?)SharingJson.At(plan.DeliveryAt) : null, plan.Price, plan.Constraint, plan.Explanation);
    }

    /// <summary>The plan of the buyer's request over the market as it is now (the caller checked the request is open).</summary>
    public static async Task<SplitPlan> PlanOfAsync(Session s, RequestRow row)
    {
        var request = row.ToMarket();
        var records = await SharingStore.RecordsAsync(s);
        var offers = new List<MarketOffer>();
        var capacities = new Dictionary<long, OfferCapacity>();
        foreach (var offerRow in await SharingStore.MarketOffersAsync(s))
        {
            var offer = offerRow.ToMarket(records.GetValueOrDefault(offerRow.TenantId) ?? ProviderRecord.None);
            offers.Add(offer);
            if (request.Steps.Any(step => Matcher.Screen(request with { Steps = [step] }, offer, out _) is null))
            {
                capacities[offer.Id] = await IdleWindows.CapacityAsync(ProviderSession.For(s, offerRow.TenantId, "a buyer's split plan"), offerRow, s.Now);
            }
        }

        return SplitPlanner.Plan(request, offers, capacities, s.Now);
    }
}
