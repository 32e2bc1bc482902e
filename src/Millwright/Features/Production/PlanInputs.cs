namespace Millwright.Features.Production;

/// <summary>A machine as the planner sees it: where it is, what it can do, and whether work may go to it now.</summary>
/// <param name="Last">The program, setup and item of the last job it ran in the past day (to the end or cut short), if known: what it still has loaded.</param>
internal sealed record PlanMachine(long Id, string Name, long SiteId, IReadOnlySet<string> Capabilities, bool Available, (string Program, long SetupMs, long ItemId)? Last = null);

/// <summary>An open order and its jobs in chain order.</summary>
internal sealed record PlanOrder(OrderRow Order, IReadOnlyList<JobRow> Jobs);

/// <summary>Where and when a job is planned, in Unix ms; <paramref name="UnitMs"/>: a unit's time on that machine when it is timed per machine (<see cref="IJobTimes"/>).</summary>
internal sealed record PlannedJob(long JobId, long MachineId, long Start, long End, long SetupMs = 0, long? UnitMs = null);
