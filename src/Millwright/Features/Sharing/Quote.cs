using Millwright.Features.Calendars;

namespace Millwright.Features.Sharing;

/// <summary>
/// An instant quote of one offer for one request: the price and its parts, the machine hours, the confidence of
/// the time estimate, and the machine time it would take (<see cref="Windows"/>: pieces of idle windows, earliest
/// first) with the completion and the delivery after transport.
/// </summary>
internal sealed record Quote(
    double Price,
    double Hours,
    double Confidence,
    double DistanceKm,
    long StartAt,
    long EndAt,
    long DeliveryAt,
    IReadOnlyList<Interval> Windows,
    QuoteBreakdown Breakdown);

/// <summary>The parts of a price (before rounding): machine time at the rate, the top-up to the minimum charge, material, transport and margin.</summary>
internal sealed record QuoteBreakdown(double Machining, double MinimumTopUp, double Material, double Transport, double Margin);
