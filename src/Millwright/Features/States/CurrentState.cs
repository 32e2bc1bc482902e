namespace Millwright.Features.States;

/// <summary>A machine's state as the tracker holds it in memory: for the dashboard, no store round trip.</summary>
internal sealed record CurrentState(long MachineId, string State, DateTimeOffset Since, string? Reason, long IntervalId, DateTimeOffset LastSeen);
