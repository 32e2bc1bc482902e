using Millwright.Features.Calendars;
using Millwright.Features.States;

namespace Millwright.Features.Maintenance;

/// <summary>
/// A machine's failure risk from wear. Status: "ok" (the risks are set), "no-indicator" (its type has no degradation
/// tag), "learning" (fewer than two breakdowns of its type to learn the threshold from), "new-part" (too few readings
/// since its part was fitted for a baseline; treated as new). MaintainBy is the latest start of maintenance at which the
/// chance of failing first stays acceptable; PlannedStop the machine's maintenance stop in the calendar not ended yet;
/// LastMaintenance its newest maintenance record; UnrecordedBreakdown its newest down spell since then with no repair
/// recorded, and UnconfirmedStop its newest maintenance stop begun since then that nobody confirmed (the machine page offers
/// to record either).
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
    DateTimeOffset At,
    DateTimeOffset? MaintainBy,
    string Explanation,
    PlannedStopDto? PlannedStop)
{
    public MaintenanceRecordDto? LastMaintenance { get; init; }

    public StateIntervalDto? UnrecordedBreakdown { get; init; }

    public PlannedStopDto? UnconfirmedStop { get; init; }

    /// <summary>
    /// While the machine is stopped anyway (down for a repair, or in a planned stop that is not a maintenance one):
    /// whether renewing its part during this stop is expected to cost less than waiting for the next stop or a stop of
    /// its own (docs/predictive-maintenance.md, "Opportunistic renewal"); null when it is not stopped or has no estimate.
    /// </summary>
    public bool? RenewDuringStop { get; init; }
}

internal sealed record RiskListDto(IReadOnlyList<MachineRiskDto> Items, DateTimeOffset At);

/// <summary>
/// What a planning pass did for one machine: "planned" a new stop, "moved" one it had planned that no longer started in
/// time, "kept" a maintenance stop that still does, or "removed" one no longer needed. Cost: hours of planned working
/// time (and weighted planned work) the stop takes; MaintainBy: the latest safe start it was planned against.
/// </summary>
internal sealed record PlannedMaintenanceDto(long MachineId, DateTimeOffset From, DateTimeOffset To, string Reason, DateTimeOffset? MaintainBy, double? Cost, string Action);

internal sealed record MaintenancePlanDto(IReadOnlyList<PlannedMaintenanceDto> Items, DateTimeOffset At);
