namespace Millwright.Sparkplug;

/// <summary>A decoded Sparkplug B payload with its topic (specification 6.4.5). No protobuf types leak out.</summary>
public sealed record SparkplugMessage
{
    public required SparkplugTopic Topic { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>0..255; absent only on NDEATH and on commands (6.4.5, tck-id-payloads-sequence-num-always-included).</summary>
    public byte? Seq { get; init; }

    public required IReadOnlyList<SparkplugMetric> Metrics { get; init; }

    /// <summary>The bdSeq metric of an NBIRTH or NDEATH (4.2.1, tck-id-topics-nbirth-bdseq-included).</summary>
    public byte? BdSeq { get; init; }

    public string? Uuid { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>An NBIRTH without the Boolean 'Node Control/Rebirth' metric the specification requires (6.4.x).</summary>
    public bool LacksRebirthMetric { get; init; }
}
