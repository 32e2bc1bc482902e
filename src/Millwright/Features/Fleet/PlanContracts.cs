namespace Millwright.Features.Fleet;

/// <summary>One job-site request in a plan request: a category, minimum capabilities, the site, [from, to).</summary>
internal sealed record PlanRequestInput(long? Id, string? Category, Dictionary<string, double>? MinCapabilities, double? Latitude, double? Longitude, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A fleet machine offered to the plan: its category, capabilities, daily rate and maintenance windows; its position is its latest reported location.</summary>
internal sealed record PlanMachineInput(long? MachineId, string? Category, Dictionary<string, double>? Capabilities, double? DailyRate, IReadOnlyList<PlanWindowInput>? Unavailable);

internal sealed record PlanWindowInput(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The plan request; with <c>previous</c> (the plan in force) it is a re-plan, and each request given another machine costs <c>changePenalty</c> in the objective.</summary>
internal sealed record PlanInput(IReadOnlyList<PlanRequestInput>? Requests, IReadOnlyList<PlanMachineInput>? Machines, double? RoadFactor, double? TransportPerKm,
    IReadOnlyList<PreviousAssignmentInput>? Previous = null, double? ChangePenalty = null);

/// <summary>One assignment of the plan in force: request id → machine id.</summary>
internal sealed record PreviousAssignmentInput(long? RequestId, long? MachineId);

internal sealed record PlanDto(string Method, double TotalCost, double GreedyCost, IReadOnlyList<Assignment> Assignments, IReadOnlyList<Unserved> Unserved, int Changes = 0);
