using Google.Protobuf;

namespace Millwright.Sparkplug;

/// <summary>
/// The edge side of one Sparkplug edge node, for simulated machines: builds NBIRTH, DBIRTH, NDATA, DDATA, DDEATH
/// and the NDEATH will payload, assigns aliases and keeps the seq and bdSeq counters. Not thread-safe: one
/// simulated node publishes from one loop.
/// </summary>
public sealed class SparkplugEdgeNode
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (ulong Alias, SparkplugDataType Type)> _nodeMetrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (ulong Alias, SparkplugDataType Type)>> _devices = new(StringComparer.Ordinal);
    private ulong _rebirthAlias;
    private ulong _nextAlias;
    private byte _seq;

    public SparkplugEdgeNode(string groupId, string edgeNodeId, TimeProvider timeProvider, byte bdSeq = 0)
    {
        // Validates the ids once, with the topic rules (4.1.2, 4.1.4).
        SparkplugTopic.ForNode(SparkplugMessageType.NBirth, groupId, edgeNodeId);
        ArgumentNullException.ThrowIfNull(timeProvider);
        GroupId = groupId;
        EdgeNodeId = edgeNodeId;
        _time = timeProvider;
        BdSeq = bdSeq;
    }

    public string GroupId { get; }

    public string EdgeNodeId { get; }

    /// <summary>The bdSeq of the current MQTT session: in the will (NDEATH) and in every NBIRTH of the session.</summary>
    public byte BdSeq { get; private set; }

    public bool IsBorn { get; private set; }

    /// <summary>
    /// Call before every new MQTT CONNECT after the first: bdSeq goes up by one, 255 wraps to 0
    /// (tck-id-payloads-nbirth-bdseq-inc). A rebirth inside the same session keeps bdSeq
    /// (tck-id-operational-behavior-data-commands-rebirth-action-3).
    /// </summary>
    public void StartNewSession()
    {
        BdSeq = unchecked((byte)(BdSeq + 1));
        IsBorn = false;
    }

    /// <summary>The NDEATH to register as the MQTT will of the CONNECT packet (4.2.1): only the bdSeq metric, no seq.</summary>
    public SparkplugPublication DeathCertificate()
    {
        var payload = MetricEncoder.NewPayload(_time.GetUtcNow(), seq: null);
        payload.Metrics.Add(MetricEncoder.Encode(SparkplugDecoder.BdSeqMetric, null, SparkplugDataType.UInt64, (ulong)BdSeq, null));
        return Publication(SparkplugTopic.ForNode(SparkplugMessageType.NDeath, GroupId, EdgeNodeId), payload);
    }

    /// <summary>
    /// NBIRTH (4.2.1, 6.4.19): seq 0, the bdSeq and 'Node Control/Rebirth' = false metrics, then the node's own
    /// metrics. Every metric gets a name and an alias; aliases are unique across the node and its devices.
    /// Devices must send a new DBIRTH afterwards.
    /// </summary>
    public SparkplugPublication NodeBirth(IEnumerable<SparkplugMetricValue> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _nodeMetrics.Clear();
        _devices.Clear();
        _nextAlias = 0;
        _seq = 0;
        var now = _time.GetUtcNow();
        var payload = MetricEncoder.NewPayload(now, NextSeq());

        var all = new List<SparkplugMetricValue>
        {
            new(SparkplugDecoder.BdSeqMetric, SparkplugDataType.UInt64, (ulong)BdSeq),
            new(SparkplugDecoder.RebirthMetric, SparkplugDataType.Boolean, false),
        };
        foreach (var m in metrics)
        {
            if (m.Name is SparkplugDecoder.BdSeqMetric or SparkplugDecoder.RebirthMetric)
            {
                throw new ArgumentException($"'{m.Name}' is added by the edge node itself.", nameof(metrics));
            }

            all.Add(m);
        }

        AddBirthMetrics(payload, _nodeMetrics, all, now);
        _rebirthAlias = _nodeMetrics[SparkplugDecoder.RebirthMetric].Alias;
        IsBorn = true;
        return Publication(SparkplugTopic.ForNode(SparkplugMessageType.NBirth, GroupId, EdgeNodeId), payload);
    }

    /// <summary>DBIRTH (4.2.2, 6.4.20): after the NBIRTH, with seq continuing from it.</summary>
    public SparkplugPublication DeviceBirth(string deviceId, IEnumerable<SparkplugMetricValue> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var topic = SparkplugTopic.ForDevice(SparkplugMessageType.DBirth, GroupId, EdgeNodeId, deviceId);
        RequireBirth();
        var table = new Dictionary<string, (ulong Alias, SparkplugDataType Type)>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var payload = MetricEncoder.NewPayload(now, NextSeq());
        AddBirthMetrics(payload, table, metrics, now);
        _devices[deviceId] = table;
        return Publication(topic, payload);
    }

    /// <summary>NDATA (4.2.1): changed node metrics by alias only (tck-id-payloads-alias-data-cmd-requirement).</summary>
    public SparkplugPublication NodeData(IEnumerable<SparkplugDataValue> values)
    {
        RequireBirth();
        return Data(SparkplugTopic.ForNode(SparkplugMessageType.NData, GroupId, EdgeNodeId), _nodeMetrics, values);
    }

    /// <summary>DDATA (4.2.2): changed device metrics by alias only.</summary>
    public SparkplugPublication DeviceData(string deviceId, IEnumerable<SparkplugDataValue> values)
    {
        var topic = SparkplugTopic.ForDevice(SparkplugMessageType.DData, GroupId, EdgeNodeId, deviceId);
        RequireBirth();
        if (!_devices.TryGetValue(deviceId, out var table))
        {
            throw new InvalidOperationException($"Device '{deviceId}' has no DBIRTH in this session.");
        }

        return Data(topic, table, values);
    }

    /// <summary>DDEATH (4.2.2): the device is gone; the payload carries only a seq.</summary>
    public SparkplugPublication DeviceDeath(string deviceId)
    {
        var topic = SparkplugTopic.ForDevice(SparkplugMessageType.DDeath, GroupId, EdgeNodeId, deviceId);
        RequireBirth();
        _devices.Remove(deviceId);
        return Publication(topic, MetricEncoder.NewPayload(_time.GetUtcNow(), NextSeq()));
    }

    /// <summary>True for an NCMD to this node whose 'Node Control/Rebirth' metric (by name or alias) is true.</summary>
    public bool IsRebirthRequest(SparkplugMessage command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Topic.MessageType == SparkplugMessageType.NCmd
            && command.Topic.GroupId == GroupId
            && command.Topic.EdgeNodeId == EdgeNodeId
            && command.Metrics.Any(m =>
                (m.Name == SparkplugDecoder.RebirthMetric || (m.Name is null && IsBorn && m.Alias == _rebirthAlias))
                && m.Value is true);
    }

    private SparkplugPublication Data(
        SparkplugTopic topic, Dictionary<string, (ulong Alias, SparkplugDataType Type)> table, IEnumerable<SparkplugDataValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var now = _time.GetUtcNow();
        var payload = MetricEncoder.NewPayload(now, seq: null);
        foreach (var v in values)
        {
            if (!table.TryGetValue(v.Name, out var known))
            {
                throw new ArgumentException($"Metric '{v.Name}' was not in the birth certificate.", nameof(values));
            }

            payload.Metrics.Add(MetricEncoder.Encode(null, known.Alias, known.Type, v.Value, v.Timestamp ?? now, includeType: false));
        }

        // The seq is taken only once the payload is complete, so a refused value does not leave a gap.
        payload.Seq = NextSeq();
        return Publication(topic, payload);
    }

    private void AddBirthMetrics(
        Protobuf.Payload payload,
        Dictionary<string, (ulong Alias, SparkplugDataType Type)> table,
        IEnumerable<SparkplugMetricValue> metrics,
        DateTimeOffset now)
    {
        foreach (var m in metrics)
        {
            if (!SparkplugValues.IsMetricType(m.DataType))
            {
                throw new ArgumentException($"Metric '{m.Name}' has datatype {m.DataType}, which metrics cannot have.", nameof(metrics));
            }

            var alias = _nextAlias++;
            if (!table.TryAdd(m.Name, (alias, m.DataType)))
            {
                throw new ArgumentException($"Metric '{m.Name}' appears twice in one birth.", nameof(metrics));
            }

            payload.Metrics.Add(MetricEncoder.Encode(m.Name, alias, m.DataType, m.Value, m.Timestamp ?? now));
        }
    }

    private void RequireBirth()
    {
        if (!IsBorn)
        {
            throw new InvalidOperationException("Send the NBIRTH first (tck-id-payloads-dbirth-order).");
        }
    }

    // 6.4.5: seq counts 0..255 and wraps to 0 (tck-id-payloads-sequence-num-incrementing).
    private byte NextSeq() => _seq++;

    private static SparkplugPublication Publication(SparkplugTopic topic, Protobuf.Payload payload) =>
        new(topic, payload.ToByteArray());
}
