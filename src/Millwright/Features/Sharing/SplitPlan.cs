namespace Millwright.Features.Sharing;

/// <summary>
/// Who does which step when: the legs in step order, each with its quote (windows, price, and the transport to the
/// next leg's site or, for the last, to the buyer), the delivery and total price; or the constraint and a sentence
/// saying why no plan serves the request (<see cref="Constraint"/> is null when it does).
/// </summary>
internal sealed record SplitPlan(IReadOnlyList<SplitLeg> Legs, long DeliveryAt, double Price, string? Constraint, string? Explanation);

/// <summary>One step of a split plan on one offer; the quote's distance and delivery are those of the transport onward.</summary>
internal sealed record SplitLeg(int Step, RequestStep Work, MarketOffer Offer, Quote Quote);
