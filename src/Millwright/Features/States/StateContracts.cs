using Millwright.Api;

namespace Millwright.Features.States;

/// <summary>One state interval; End is null while it is open.</summary>
internal sealed record StateIntervalDto(long Id, long MachineId, string State, DateTimeOffset Start, DateTimeOffset? End, string? Reason, string? ReasonSource);

internal sealed record ReasonInput(string? Reason);

internal sealed record StateHistoryQuery(ZonedTime? From, ZonedTime? To);

internal sealed record CurrentStatesQuery(long? Site, long? Line);

/// <summary>A machine and its open interval; State is null when it has never reported.</summary>
internal sealed record MachineStateDto(long MachineId, string Name, long LineId, string? State, DateTimeOffset? Since, string? Reason, long? IntervalId);

internal sealed class StateIntervalRow
{
    public long Id { get; set; }
    public long MachineId { get; set; }
    public string State { get; set; } = "";
    public long StartAt { get; set; }
    public long? EndAt { get; set; }
    public string? Reason { get; set; }
    public string? ReasonSource { get; set; }

    public StateIntervalDto AsDto() => new(Id, MachineId, State, DateTimeOffset.FromUnixTimeMilliseconds(StartAt),
        EndAt is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null, Reason, ReasonSource);
}

internal sealed class MachineStateRow
{
    public long MachineId { get; set; }
    public string Name { get; set; } = "";
    public long LineId { get; set; }
    public string? State { get; set; }
    public long? SinceMs { get; set; }
    public string? Reason { get; set; }
    public long? IntervalId { get; set; }

    public MachineStateDto AsDto() => new(MachineId, Name, LineId, State,
        SinceMs is { } since ? DateTimeOffset.FromUnixTimeMilliseconds(since) : null, Reason, IntervalId);
}
