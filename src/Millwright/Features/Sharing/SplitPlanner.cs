namespace Millwright.Features.Sharing;

/// <summary>
/// A multi-step request that no single offer can serve, split across providers (docs/sharing.md, "Splitting"): each
/// step in order goes to the offer that finishes it first, starting no earlier than the previous step's completion
/// plus the transport from the previous provider's site (<see cref="QuoteModel.TransportMs"/>: 1 h handling + km ÷
/// 50 km/h); the last step's parts travel to the buyer. Pure, like <see cref="Matcher"/>: the caller supplies the
/// offers and their capacity.
/// </summary>
internal static class SplitPlanner
{
    public static SplitPlan Plan(MarketRequest r, IReadOnlyList<MarketOffer> offers, IReadOnlyDictionary<long, OfferCapacity> capacities, long now)
    {
        var chosen = new List<(RequestStep Step, MarketOffer Offer, MarketRequest One, List<Calendars.Interval> Pieces, long Work, double Confidence)>();
        var ready = now + r.LeadMs;
        for (var i = 0; i < r.Steps.Count; i++)
        {
            var step = r.Steps[i];
            var one = r with { Steps = [step] };
            (MarketOffer Offer, List<Calendars.Interval> Pieces, long Work, double Confidence)? best = null;
            foreach (var offer in offers)
            {
                if (offer.ProviderTenant == r.BuyerTenant || Matcher.Screen(one, offer, out _) is not null || !capacities.TryGetValue(offer.Id, out var capacity))
                {
                    continue;
                }

                // Parts arrive from the previous step's site; a step on the same site (the same or a neighbouring offer) waits for none.
                var arrival = i == 0 ? ready : chosen[^1].Pieces[^1].End + QuoteModel.TransportMs(Geo.DistanceKm(chosen[^1].Offer.Latitude, chosen[^1].Offer.Longitude, offer.Latitude, offer.Longitude));
                var (work, confidence) = QuoteModel.Estimate(one, capacity);
                if (QuoteModel.Fill(capacity.Windows, Math.Max(ready, arrival), work) is not { } pieces)
                {
                    continue;
                }

                if (best is null || pieces[^1].End < best.Value.Pieces[^1].End || (pieces[^1].End == best.Value.Pieces[^1].End && offer.Id < best.Value.Offer.Id))
                {
                    best = (offer, pieces, work, confidence);
                }
            }

            if (best is not { } b)
            {
                return new SplitPlan([], 0, 0, Constraint.Process,
                    $"No offer can do step {i + 1} ({step.Process})" + (i == 0 ? "" : $" after step {i}") + " within the request's material, size, tolerance, certifications, distance and the offers' idle windows.");
            }

            chosen.Add((step, b.Offer, one, b.Pieces, b.Work, b.Confidence));
        }

        var legs = new List<SplitLeg>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var (step, offer, one, pieces, work, confidence) = chosen[i];
            var (toLat, toLon) = i + 1 < chosen.Count ? (chosen[i + 1].Offer.Latitude, chosen[i + 1].Offer.Longitude) : (r.Latitude, r.Longitude);
            var km = Geo.DistanceKm(offer.Latitude, offer.Longitude, toLat, toLon);
            // Material is bought once, by the first provider; the others work on the parts they receive.
            var priced = i == 0 ? one : one with { PartMassKg = 0 };
            var hours = work / 3_600_000.0;
            var breakdown = QuoteModel.Price(priced, offer, hours, km);
            var quote = new Quote(QuoteModel.Total(breakdown), hours, confidence, km, pieces[0].Start, pieces[^1].End,
                pieces[^1].End + QuoteModel.TransportMs(km), pieces, breakdown);
            legs.Add(new SplitLeg(i, step, offer, quote));
        }

        var delivery = legs[^1].Quote.DeliveryAt;
        var price = Math.Round(legs.Sum(l => l.Quote.Price), 2, MidpointRounding.AwayFromZero);
        return delivery > r.DueAt ? new SplitPlan(legs, delivery, price, Constraint.DueDate, "The split plan delivers after the due date.")
            : price > r.Budget ? new SplitPlan(legs, delivery, price, Constraint.Budget, "The split plan costs more than the budget ceiling.")
            : new SplitPlan(legs, delivery, price, null, null);
    }
}
