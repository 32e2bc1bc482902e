namespace Millwright.Features.Goals;

/// <summary>A half-open range [From, To).</summary>
internal sealed record GoalSpanDto(DateTimeOffset From, DateTimeOffset To);
