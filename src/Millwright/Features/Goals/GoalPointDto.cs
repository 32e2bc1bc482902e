namespace Millwright.Features.Goals;

/// <summary>A sparkline's value over the bucket that starts at From; null where there was nothing to measure.</summary>
internal sealed record GoalPointDto(DateTimeOffset From, double? Value);
