using Millwright.Features.Calendars;

namespace Millwright.Features.Sharing;

/// <summary>
/// The documented cost model (docs/sharing.md, "Instant quote"). Time: per step, setup plus quantity × unit time,
/// the unit time being the provider's own median on that machine and process where it has finished jobs, else the
/// buyer's estimate. Price: rate × hours (at least the minimum charge) + material by mass + transport by distance,
/// plus the provider's margin. Delivery: the work laid into the idle windows, earliest first, plus transport.
/// </summary>
internal static class QuoteModel
{
    /// <summary>Road transport, door to door, averaged: great-circle km ÷ this speed, plus the handling time.</summary>
    public const double TransportKmPerHour = 50;

    public static readonly long HandlingMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <summary>Machine time in ms and the confidence of the estimate (0..1).</summary>
    public static (long Ms, double Confidence) Estimate(MarketRequest request, OfferCapacity capacity)
    {
        double seconds = 0;
        var confidence = 1.0;
        foreach (var step in request.Steps)
        {
            var unit = step.UnitSeconds;
            var stepConfidence = 0.5;
            if (capacity.Cycles.TryGetValue(step.Process, out var cycle) && cycle.Samples > 0)
            {
                unit = cycle.UnitSeconds;
                // One finished job says something, three say it well; the buyer's own figure is a guess of unknown quality.
                stepConfidence = cycle.Samples >= 3 ? 0.9 : 0.7;
            }

            seconds += (step.SetupMinutes * 60) + (request.Quantity * unit);
            confidence = Math.Min(confidence, stepConfidence);
        }

        return ((long)Math.Ceiling(seconds * 1000), confidence);
    }

    public static long TransportMs(double distanceKm) =>
        distanceKm <= 0 ? 0 : HandlingMs + (long)Math.Ceiling(distanceKm / TransportKmPerHour * 3_600_000);

    /// <summary>
    /// Lays <paramref name="work"/> ms into the windows from <paramref name="now"/> on, earliest first (work may pause
    /// between windows, as production pauses while a site is closed); null when the windows hold too little.
    /// </summary>
    public static List<Interval>? Fill(IReadOnlyList<Interval> windows, long now, long work)
    {
        var pieces = new List<Interval>();
        var left = work;
        foreach (var window in windows)
        {
            var start = Math.Max(window.Start, now);
            if (window.End <= start)
            {
                continue;
            }

            var take = Math.Min(left, window.End - start);
            pieces.Add(new Interval(start, start + take));
            left -= take;
            if (left <= 0)
            {
                return pieces;
            }
        }

        return null;
    }

    public static QuoteBreakdown Price(MarketRequest request, MarketOffer offer, double hours, double distanceKm)
    {
        var machining = offer.HourlyRate * hours;
        var topUp = Math.Max(0, offer.MinimumCharge - machining);
        var material = request.Quantity * request.PartMassKg * offer.MaterialPricePerKg.GetValueOrDefault(request.Material);
        var transport = offer.TransportPerKm * distanceKm;
        var margin = (machining + topUp + material + transport) * offer.MarginPercent / 100;
        return new QuoteBreakdown(machining, topUp, material, transport, margin);
    }

    public static double Total(QuoteBreakdown b) =>
        Math.Round(b.Machining + b.MinimumTopUp + b.Material + b.Transport + b.Margin, 2, MidpointRounding.AwayFromZero);
}
