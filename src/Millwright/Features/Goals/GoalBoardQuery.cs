namespace Millwright.Features.Goals;

/// <summary>
/// The two periods a board compares, each end as epoch milliseconds or ISO-8601 with a zone. A period is given
/// whole or not at all; a missing one defaults from the tenant's stored history (<see cref="GoalPeriods"/>).
/// </summary>
internal sealed record GoalBoardQuery(string? BaselineFrom, string? BaselineTo, string? CurrentFrom, string? CurrentTo);
