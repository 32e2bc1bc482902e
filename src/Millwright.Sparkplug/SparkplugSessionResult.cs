namespace Millwright.Sparkplug;

/// <summary>What one message did to the host's view of an edge node.</summary>
public sealed record SparkplugSessionResult
{
    public required SparkplugTopic Topic { get; init; }

    public required SparkplugSessionOutcome Outcome { get; init; }

    public string? Reason { get; init; }

    /// <summary>Applied, but not as the specification asks (an NBIRTH without 'Node Control/Rebirth'); null when clean.</summary>
    public string? Warning { get; init; }

    /// <summary>The NCMD 'Node Control/Rebirth' = true to publish now, if any.</summary>
    public SparkplugPublication? RebirthRequest { get; init; }

    public IReadOnlyList<SparkplugStatusChange> StatusChanges { get; init; } = [];

    public IReadOnlyList<SparkplugMetricUpdate> Values { get; init; } = [];
}
