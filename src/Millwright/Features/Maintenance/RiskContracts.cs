namespace Millwright.Features.Maintenance;

/// <summary>
/// A machine's failure risk from wear. Status: "ok" (the risks are set), "no-indicator" (its type has no degradation
/// tag), "learning" (fewer than two breakdowns of its type to learn the threshold from), "new-part" (too few readings
/// since its part was fitted for a baseline; treated as new).
/// </summary>
internal sealed record MachineRiskDto(
    long MachineId,
    string Status,
    string? Tag,
    double? NextShift,
    double? NextDay,
    double? HoursToMedianFailure,
    double? Excess,
    double? RatePerRunningHour,
    double RunningShare,
    DateTimeOffset? PartSince,
    int BreakdownsLearned,
    DateTimeOffset At);

internal sealed record RiskListDto(IReadOnlyList<MachineRiskDto> Items, DateTimeOffset At);
