namespace Millwright.Features.Fleet;

/// <summary>One job-site request in a plan request: a category, minimum capabilities, the site, [from, to).</summary>
internal sealed record PlanRequestInput(long? Id, string? Category, Dictionary<string, double>? MinCapabilities, double? Latitude, double? Longitude, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A fleet machine offered to the plan: its category, capabilities, daily rate and maintenance windows; its position is its latest reported location.</summary>
internal sealed record PlanMachineInput(long? MachineId, string? Category, Dictionary<string, double>? Capabilities, double? DailyRate, IReadOnlyList<PlanWindowInput>? Unavailable);

internal sealed record PlanWindowInput(DateTimeOffset? From, DateTimeOffset? To);

internal sealed record PlanInput(IReadOnlyList<PlanRequestInput>? Requests, IReadOnlyList<PlanMachineInput>? Machines, double? RoadFactor, double? TransportPerKm);

internal sealed record PlanDto(string Method, double TotalCost, double GreedyCost, IReadOnlyList<Assignment> Assignments, IReadOnlyList<Unserved> Unserved);
