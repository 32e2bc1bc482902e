namespace Millwright.Features.Sharing;

/// <summary>
/// Matching and ranking (docs/sharing.md, "Matching"): hard constraints first (<see cref="Screen"/>, then
/// <see cref="QuoteFor"/> for those that need the idle windows and the price), then a score over the feasible
/// candidates. Pure: the caller supplies the offers and each survivor's capacity, so the same code answers the
/// REST API and the benchmark.
/// </summary>
internal static class Matcher
{
    // Weights of the normalised criteria; delivery first because the buyer posts a due date, not a wish.
    public const double DeliveryWeight = 0.40;
    public const double PriceWeight = 0.30;
    public const double DistanceWeight = 0.15;
    public const double RecordWeight = 0.15;

    /// <summary>The first static hard constraint the offer fails, or null; also the distance, which it computed.</summary>
    public static string? Screen(MarketRequest r, MarketOffer o, out double distanceKm)
    {
        distanceKm = 0;
        foreach (var step in r.Steps)
        {
            if (!o.Processes.Contains(step.Process))
            {
                return Constraint.Process;
            }
        }

        if (!o.MaterialPricePerKg.ContainsKey(r.Material))
        {
            return Constraint.Material;
        }

        for (var i = 0; i < 3; i++)
        {
            if (r.SizeSorted[i] > o.EnvelopeSorted[i])
            {
                return Constraint.Envelope;
            }
        }

        if (o.ToleranceMm > r.ToleranceMm)
        {
            return Constraint.Tolerance;
        }

        foreach (var certification in r.Certifications)
        {
            if (!o.Certifications.Contains(certification))
            {
                return Constraint.Certification;
            }
        }

        distanceKm = Geo.DistanceKm(r.Latitude, r.Longitude, o.Latitude, o.Longitude);
        return distanceKm > r.MaxDistanceKm ? Constraint.Distance : null;
    }

    /// <summary>The quote of an offer that passed <see cref="Screen"/>, or the constraint (due date, budget) that excludes it.</summary>
    public static (Quote? Quote, string? Excluded) QuoteFor(MarketRequest r, MarketOffer o, OfferCapacity capacity, double distanceKm, long now)
    {
        var (work, confidence) = QuoteModel.Estimate(r, capacity);
        var transport = QuoteModel.TransportMs(distanceKm);
        var pieces = QuoteModel.Fill(capacity.Windows, now + r.LeadMs, work);
        if (pieces is null || pieces[^1].End + transport > r.DueAt)
        {
            return (null, Constraint.DueDate);
        }

        var hours = work / 3_600_000.0;
        var breakdown = QuoteModel.Price(r, o, hours, distanceKm);
        var price = QuoteModel.Total(breakdown);
        if (price > r.Budget)
        {
            return (null, Constraint.Budget);
        }

        return (new Quote(price, hours, confidence, distanceKm, pieces[0].Start, pieces[^1].End, pieces[^1].End + transport, pieces, breakdown), null);
    }

    /// <summary>
    /// Ranks feasible candidates, best first: score = Σ weight × (value − min) / (max − min) over delivery, price,
    /// distance and (1 − record); ties by delivery, price, then offer id, so the order is deterministic.
    /// </summary>
    public static List<Candidate> Rank(List<(MarketOffer Offer, Quote Quote)> feasible)
    {
        if (feasible.Count == 0)
        {
            return [];
        }

        var delivery = Range(feasible, f => f.Quote.DeliveryAt);
        var price = Range(feasible, f => f.Quote.Price);
        var distance = Range(feasible, f => f.Quote.DistanceKm);
        var record = Range(feasible, f => 1 - f.Offer.Record.Score);
        return feasible
            .Select(f => new Candidate(f.Offer, f.Quote,
                (DeliveryWeight * delivery(f.Quote.DeliveryAt)) + (PriceWeight * price(f.Quote.Price))
                + (DistanceWeight * distance(f.Quote.DistanceKm)) + (RecordWeight * record(1 - f.Offer.Record.Score))))
            .OrderBy(c => c.Score).ThenBy(c => c.Quote.DeliveryAt).ThenBy(c => c.Quote.Price).ThenBy(c => c.Offer.Id)
            .ToList();
    }

    /// <summary>
    /// Everything for one request in one go: screen, quote the survivors (asking <paramref name="capacity"/> only
    /// for those), rank. <see cref="RankResult.Excluded"/> counts the offers each constraint excluded.
    /// </summary>
    public static RankResult Match(MarketRequest r, IEnumerable<MarketOffer> offers, Func<MarketOffer, OfferCapacity> capacity, long now)
    {
        var excluded = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<(MarketOffer, Quote)>();
        var considered = 0;
        foreach (var offer in offers)
        {
            if (offer.ProviderTenant == r.BuyerTenant)
            {
                continue;
            }

            considered++;
            var failed = Screen(r, offer, out var distance);
            Quote? quote = null;
            if (failed is null)
            {
                (quote, failed) = QuoteFor(r, offer, capacity(offer), distance, now);
            }

            if (failed is not null)
            {
                excluded[failed] = excluded.GetValueOrDefault(failed) + 1;
            }
            else
            {
                feasible.Add((offer, quote!));
            }
        }

        return new RankResult(Rank(feasible), excluded, considered);
    }

    private static Func<double, double> Range<T>(List<T> items, Func<T, double> value)
    {
        var min = items.Min(value);
        var max = items.Max(value);
        return max > min ? v => (v - min) / (max - min) : _ => 0;
    }
}
