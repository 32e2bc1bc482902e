namespace Millwright.Features.Fleet;

/// <summary>
/// Plan the open site requests: the first plan, or a re-plan from the latest one (each request given another
/// machine costs <c>changePenalty</c> in the objective). <c>brokenDown</c> names machines that must not be used.
/// </summary>
internal sealed record AllocationPlanInput(string? Reason, double? ChangePenalty, double? RoadFactor, double? TransportPerKm, IReadOnlyList<long>? BrokenDown);

internal sealed record SkippedMachine(long MachineId, string Reason);

/// <param name="CommandId">The id of the command the machine has for this assignment (it repeats it in its answer); null until sent.</param>
/// <param name="Kept">The assignment was unchanged from the plan in force before, so it was not sent again: the state is that earlier command's.</param>
internal sealed record DispatchDto(string Status, string? Detail, DateTimeOffset? SentAt, DateTimeOffset? AnsweredAt, string? CommandId, bool Kept);

/// <param name="SiteLatitude">Where the request's site is now (the fleet screen draws the line to it).</param>
internal sealed record PlannedAssignmentDto(
    long Id, long RequestId, string Site, double SiteLatitude, double SiteLongitude, long MachineId, string EquipmentId, long? OperatorId, string? OperatorName,
    double RoadKm, double TransportCost, double RentalCost, double Cost, bool Moved, DispatchDto Dispatch);

/// <param name="Releases">Machines this plan's acceptance moved off a request they had been dispatched to, each told by a fleet.release command.</param>
internal sealed record AllocationPlanDto(
    long Id, int Revision, long? BasedOn, string Reason, string Status, string Method, double TotalCost, double GreedyCost, int Changes, double ChangePenalty,
    DateTimeOffset CreatedAt, DateTimeOffset? AcceptedAt, IReadOnlyList<PlannedAssignmentDto> Assignments, IReadOnlyList<Unserved> Unserved,
    IReadOnlyList<SkippedMachine> Skipped, IReadOnlyList<ReleaseDto> Releases);

/// <param name="SiteLatitude">Where the site the machine was released from is (the fleet screen draws the release to it).</param>
/// <param name="Releases">The command id of the dispatch this release undoes.</param>
/// <param name="Dispatch">The release command's own state, as a dispatch's (sent, acknowledged, failed), with its command id.</param>
internal sealed record ReleaseDto(long Id, long RequestId, string Site, double SiteLatitude, double SiteLongitude, long MachineId, string EquipmentId, string Releases, DispatchDto Dispatch);

internal sealed class ReleaseRow
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public string Site { get; set; } = "";
    public double SiteLatitude { get; set; }
    public double SiteLongitude { get; set; }
    public long MachineId { get; set; }
    public string EquipmentId { get; set; } = "";
    public long ReleasedOf { get; set; }
    public string DispatchStatus { get; set; } = "";
    public string? DispatchDetail { get; set; }
    public long DispatchedAt { get; set; }
    public long? AnsweredAt { get; set; }

    public ReleaseDto AsDto() => new(Id, RequestId, Site, SiteLatitude, SiteLongitude, MachineId, EquipmentId, DispatchAck.CommandIdOf(ReleasedOf),
        new DispatchDto(DispatchStatus, DispatchDetail, DateTimeOffset.FromUnixTimeMilliseconds(DispatchedAt),
            AnsweredAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, DispatchAck.ReleaseCommandIdOf(Id), Kept: false));
}

/// <summary>A plan revision in the list, without its assignments.</summary>
internal sealed record AllocationPlanSummaryDto(long Id, int Revision, string Reason, string Status, string Method, double TotalCost, int Changes, DateTimeOffset CreatedAt);

internal sealed class AllocationPlanRow
{
    public long Id { get; set; }
    public long Revision { get; set; }
    public long? BasedOn { get; set; }
    public string Reason { get; set; } = "";
    public string Status { get; set; } = "";
    public string Method { get; set; } = "";
    public double TotalCost { get; set; }
    public double GreedyCost { get; set; }
    public long Changes { get; set; }
    public double ChangePenalty { get; set; }
    public string Unserved { get; set; } = "[]";
    public string Skipped { get; set; } = "[]";
    public long CreatedAt { get; set; }
    public long? AcceptedAt { get; set; }

    public AllocationPlanSummaryDto AsSummary() => new(Id, (int)Revision, Reason, Status, Method, TotalCost, (int)Changes, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}

internal sealed class PlannedAssignmentRow
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public string Site { get; set; } = "";
    public double SiteLatitude { get; set; }
    public double SiteLongitude { get; set; }
    public long MachineId { get; set; }
    public string EquipmentId { get; set; } = "";
    public long? OperatorId { get; set; }
    public string? OperatorName { get; set; }
    public double RoadKm { get; set; }
    public double TransportCost { get; set; }
    public double RentalCost { get; set; }
    public long Moved { get; set; }
    public long SentAs { get; set; }
    public string DispatchStatus { get; set; } = "";
    public string? DispatchDetail { get; set; }
    public long? DispatchedAt { get; set; }
    public long? AnsweredAt { get; set; }

    public PlannedAssignmentDto AsDto() => new(Id, RequestId, Site, SiteLatitude, SiteLongitude, MachineId, EquipmentId, OperatorId, OperatorName, RoadKm, TransportCost, RentalCost,
        Math.Round(TransportCost + RentalCost, 2), Moved != 0,
        new DispatchDto(DispatchStatus, DispatchDetail, Time(DispatchedAt), Time(AnsweredAt), DispatchedAt is null ? null : DispatchAck.CommandIdOf(SentAs), SentAs != Id));

    private static DateTimeOffset? Time(long? ms) => ms is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null;
}
