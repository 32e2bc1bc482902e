namespace Millwright.Features.Production;

/// <summary>One re-plan: why, how many jobs it planned, froze and moved, and its weighted tardiness and change penalty (priority-weighted hours).</summary>
internal sealed record PlanRevisionDto(
    long Id, DateTimeOffset PlannedAt, string Reason, long Jobs, long Frozen, long Moved, double WeightedTardinessHours, double ChangePenaltyHours,
    IReadOnlyList<PlanMoveDto> Moves);

/// <summary>A moved job: from which machine and start to which, the shift in minutes (positive: later) and why.</summary>
internal sealed record PlanMoveDto(
    long JobId, string OrderNumber, string Operation, long FromMachineId, long ToMachineId, DateTimeOffset FromStart, DateTimeOffset ToStart, double ShiftMinutes, string Why)
{
    public static PlanMoveDto Of(PlanMove m) => new(m.JobId, m.OrderNumber, m.Operation, m.FromMachineId, m.ToMachineId,
        DateTimeOffset.FromUnixTimeMilliseconds(m.FromStart), DateTimeOffset.FromUnixTimeMilliseconds(m.ToStart), Math.Round(m.ShiftMs / 60_000.0, 1), m.Why);
}

internal sealed record PlanRevisionQuery(Api.ZonedTime? From, Api.ZonedTime? To, int? Limit);
