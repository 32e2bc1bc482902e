using Google.Protobuf;

namespace Millwright.Sparkplug;

/// <summary>NCMD and DCMD payloads a host application sends (specification 5, "Commands").</summary>
public static class SparkplugCommands
{
    /// <summary>
    /// The Rebirth Request: NCMD with 'Node Control/Rebirth' = true
    /// (tck-id-operational-behavior-data-commands-ncmd-rebirth-verb, -name, -value).
    /// </summary>
    public static SparkplugPublication Rebirth(string groupId, string edgeNodeId, DateTimeOffset now) =>
        NodeCommand(groupId, edgeNodeId, [new SparkplugMetricValue(SparkplugDecoder.RebirthMetric, SparkplugDataType.Boolean, true)], now);

    // Commands name their metrics (tck-id-operational-behavior-data-commands-ncmd-metric-name). Host applications
    // have no sequence of their own, so no seq is sent.
    public static SparkplugPublication NodeCommand(
        string groupId, string edgeNodeId, IEnumerable<SparkplugMetricValue> metrics, DateTimeOffset now) =>
        Build(SparkplugTopic.ForNode(SparkplugMessageType.NCmd, groupId, edgeNodeId), metrics, now);

    public static SparkplugPublication DeviceCommand(
        string groupId, string edgeNodeId, string deviceId, IEnumerable<SparkplugMetricValue> metrics, DateTimeOffset now) =>
        Build(SparkplugTopic.ForDevice(SparkplugMessageType.DCmd, groupId, edgeNodeId, deviceId), metrics, now);

    private static SparkplugPublication Build(SparkplugTopic topic, IEnumerable<SparkplugMetricValue> metrics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var payload = MetricEncoder.NewPayload(now, seq: null);
        foreach (var m in metrics)
        {
            payload.Metrics.Add(MetricEncoder.Encode(m.Name, null, m.DataType, m.Value, m.Timestamp ?? now));
        }

        return new SparkplugPublication(topic, payload.ToByteArray());
    }
}
