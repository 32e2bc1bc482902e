namespace Millwright.Features.Sharing;

/// <summary>A feasible offer for a request with its quote and ranking score (lower is better).</summary>
internal sealed record Candidate(MarketOffer Offer, Quote Quote, double Score);
