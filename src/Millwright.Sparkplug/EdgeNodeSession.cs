namespace Millwright.Sparkplug;

/// <summary>
/// The host application's view of one edge node (specification 5, "Operational Behavior"): online state, bdSeq,
/// seq, and the aliases its NBIRTH and DBIRTHs announced. Feed it decoded messages in arrival order; it is not
/// thread-safe, so one consumer owns a node's session.
/// </summary>
public sealed class EdgeNodeSession
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _rebirthInterval;
    private readonly MetricTable _node = new();
    private readonly Dictionary<string, MetricTable> _devices = new(StringComparer.Ordinal);
    // -1: the host has no valid position in the node's sequence (before NBIRTH or after a break).
    private int _lastSeq = -1;
    private DateTimeOffset? _lastRebirthRequest;

    /// <param name="rebirthInterval">Least time between two rebirth requests, so a broken stream gets one NCMD, not one per message.</param>
    public EdgeNodeSession(string groupId, string edgeNodeId, TimeProvider timeProvider, TimeSpan rebirthInterval)
    {
        SparkplugTopic.ForNode(SparkplugMessageType.NBirth, groupId, edgeNodeId);
        ArgumentNullException.ThrowIfNull(timeProvider);
        GroupId = groupId;
        EdgeNodeId = edgeNodeId;
        _time = timeProvider;
        _rebirthInterval = rebirthInterval;
    }

    public string GroupId { get; }

    public string EdgeNodeId { get; }

    public bool IsOnline { get; private set; }

    /// <summary>The bdSeq of the NBIRTH of the current session; an NDEATH counts only if it carries the same.</summary>
    public byte? BdSeq { get; private set; }

    /// <summary>The host lost the sequence and waits for a new NBIRTH; the node's values are stale meanwhile.</summary>
    public bool AwaitingRebirth { get; private set; }

    public IReadOnlyCollection<string> OnlineDevices => _devices.Keys;

    public SparkplugSessionResult Handle(SparkplugMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Topic.GroupId != GroupId || message.Topic.EdgeNodeId != EdgeNodeId)
        {
            throw new ArgumentException($"{message.Topic} is not for edge node {GroupId}/{EdgeNodeId}.", nameof(message));
        }

        return message.Topic.MessageType switch
        {
            SparkplugMessageType.NBirth => NodeBirth(message),
            SparkplugMessageType.NDeath => NodeDeath(message),
            SparkplugMessageType.DBirth => DeviceBirth(message),
            SparkplugMessageType.DDeath => DeviceDeath(message),
            SparkplugMessageType.NData or SparkplugMessageType.DData => Data(message),
            _ => Ignore(message, "commands and STATE do not change an edge node's session"),
        };
    }

    // 4.2.1 and 5 (Edge Node Session Establishment): an NBIRTH starts a new session: seq 0, new aliases, new bdSeq.
    // Devices of the previous session are offline until their DBIRTH in this one.
    private SparkplugSessionResult NodeBirth(SparkplugMessage message)
    {
        var now = _time.GetUtcNow();
        var changes = new List<SparkplugStatusChange>();
        foreach (var device in _devices.Keys)
        {
            changes.Add(new SparkplugStatusChange(GroupId, EdgeNodeId, device, false, now));
        }

        _devices.Clear();
        _node.Clear();
        foreach (var metric in message.Metrics)
        {
            _node.Add(metric);
        }

        if (!IsOnline)
        {
            changes.Add(new SparkplugStatusChange(GroupId, EdgeNodeId, null, true, now));
        }

        IsOnline = true;
        BdSeq = message.BdSeq;
        AwaitingRebirth = false;
        _lastRebirthRequest = null;
        _lastSeq = 0;
        return Applied(message, changes, BirthValues(message, null, now));
    }

    // 4.2.1 (NDEATH) and 5 (Edge Node Session Termination): only the will of the current session counts; an NDEATH
    // with another bdSeq belongs to an older connection whose will the server published late, and is ignored.
    private SparkplugSessionResult NodeDeath(SparkplugMessage message)
    {
        if (BdSeq is null)
        {
            return Ignore(message, "NDEATH for a node whose NBIRTH this host has not seen");
        }

        if (message.BdSeq != BdSeq)
        {
            return Ignore(message, $"stale NDEATH: bdSeq {message.BdSeq}, the current session has bdSeq {BdSeq}");
        }

        if (!IsOnline)
        {
            return Ignore(message, "the node is already offline");
        }

        // The host marks the node offline at its own receive time (an NDEATH is a will; its timestamp is from CONNECT).
        var now = _time.GetUtcNow();
        var changes = _devices.Keys.Select(d => new SparkplugStatusChange(GroupId, EdgeNodeId, d, false, now)).ToList();
        changes.Add(new SparkplugStatusChange(GroupId, EdgeNodeId, null, false, now));
        _devices.Clear();
        _node.Clear();
        IsOnline = false;
        _lastSeq = -1;
        return Applied(message, changes, []);
    }

    // 4.2.2 (DBIRTH): after the NBIRTH, in sequence. Aliases are unique across the whole edge node
    // (tck-id-payloads-alias-uniqueness), so a device may not reuse the node's or another device's.
    private SparkplugSessionResult DeviceBirth(SparkplugMessage message)
    {
        if (CheckSequence(message) is { } broken)
        {
            return broken;
        }

        var deviceId = message.Topic.DeviceId!;
        foreach (var metric in message.Metrics)
        {
            if (metric.Alias is { } alias && AliasTaken(alias, deviceId))
            {
                return RebirthNeeded(message, $"DBIRTH alias {alias} of '{metric.Name}' is already used on this edge node");
            }
        }

        var table = new MetricTable();
        foreach (var metric in message.Metrics)
        {
            table.Add(metric);
        }

        var now = _time.GetUtcNow();
        var changes = _devices.ContainsKey(deviceId)
            ? []
            : new List<SparkplugStatusChange> { new(GroupId, EdgeNodeId, deviceId, true, now) };
        _devices[deviceId] = table;
        return Applied(message, changes, BirthValues(message, deviceId, now));
    }

    private SparkplugSessionResult DeviceDeath(SparkplugMessage message)
    {
        if (CheckSequence(message) is { } broken)
        {
            return broken;
        }

        var deviceId = message.Topic.DeviceId!;
        if (!_devices.Remove(deviceId))
        {
            return Applied(message, [], []);
        }

        var at = message.Timestamp ?? _time.GetUtcNow();
        return Applied(message, [new SparkplugStatusChange(GroupId, EdgeNodeId, deviceId, false, at)], []);
    }

    // 4.2.1 (NDATA), 4.2.2 (DDATA): every metric must resolve against the birth, by alias or by name, and carry a
    // value of the birth's datatype. The message is applied whole or not at all.
    private SparkplugSessionResult Data(SparkplugMessage message)
    {
        if (CheckSequence(message) is { } broken)
        {
            return broken;
        }

        var deviceId = message.Topic.DeviceId;
        MetricTable? table = _node;
        if (deviceId is not null && !_devices.TryGetValue(deviceId, out table))
        {
            return RebirthNeeded(message, $"DDATA for device '{deviceId}' without its DBIRTH");
        }

        var now = _time.GetUtcNow();
        var values = new List<SparkplugMetricUpdate>(message.Metrics.Count);
        foreach (var metric in message.Metrics)
        {
            if (!table.TryResolve(metric, out var name, out var type))
            {
                return RebirthNeeded(message, $"metric {metric.Name ?? "alias " + metric.Alias} is not in the birth certificate");
            }

            object? value = metric.Value;
            if (metric.DataType == SparkplugDataType.Unknown && value is not null)
            {
                try
                {
                    value = SparkplugValues.FromRaw(type, value, $"Metric '{name}'");
                }
                catch (SparkplugProtocolException e)
                {
                    return RebirthNeeded(message, e.Message);
                }
            }
            else if (metric.DataType != SparkplugDataType.Unknown && metric.DataType != type)
            {
                return RebirthNeeded(message, $"metric '{name}' is {metric.DataType} here but {type} in its birth");
            }

            values.Add(Update(message, deviceId, name, type, value, metric, now));
        }

        return Applied(message, [], values);
    }

    // 6.4.5: each message after the NBIRTH carries the previous seq + 1, 255 wrapping to 0. A gap, or any message
    // before the NBIRTH, means the host's picture is incomplete: ask for a rebirth (5, Commands).
    private SparkplugSessionResult? CheckSequence(SparkplugMessage message)
    {
        if (!IsOnline || _lastSeq < 0)
        {
            return RebirthNeeded(message, $"{SparkplugTopic.Name(message.Topic.MessageType)} before an NBIRTH of this session");
        }

        var expected = (_lastSeq + 1) & 0xFF;
        if (message.Seq != expected)
        {
            return RebirthNeeded(message, $"seq {message.Seq} where {expected} was expected");
        }

        _lastSeq = expected;
        return null;
    }

    private bool AliasTaken(ulong alias, string deviceId) =>
        _node.HasAlias(alias) || _devices.Any(d => d.Key != deviceId && d.Value.HasAlias(alias));

    private List<SparkplugMetricUpdate> BirthValues(SparkplugMessage message, string? deviceId, DateTimeOffset now) =>
        message.Metrics.Select(m => Update(message, deviceId, m.Name!, m.DataType, m.Value, m, now)).ToList();

    private SparkplugMetricUpdate Update(
        SparkplugMessage message, string? deviceId, string name, SparkplugDataType type, object? value, SparkplugMetric metric, DateTimeOffset now) =>
        new(GroupId, EdgeNodeId, deviceId, name, type, value, metric.Timestamp ?? message.Timestamp ?? now, metric.IsHistorical, metric.IsTransient);

    private SparkplugSessionResult RebirthNeeded(SparkplugMessage message, string reason)
    {
        AwaitingRebirth = true;
        _lastSeq = -1;
        var now = _time.GetUtcNow();
        SparkplugPublication? request = null;
        if (_lastRebirthRequest is not { } last || now - last >= _rebirthInterval)
        {
            request = SparkplugCommands.Rebirth(GroupId, EdgeNodeId, now);
            _lastRebirthRequest = now;
        }

        return new SparkplugSessionResult
        {
            Topic = message.Topic, Outcome = SparkplugSessionOutcome.RebirthNeeded, Reason = reason, RebirthRequest = request,
        };
    }

    private static SparkplugSessionResult Applied(
        SparkplugMessage message, IReadOnlyList<SparkplugStatusChange> changes, IReadOnlyList<SparkplugMetricUpdate> values) =>
        new() { Topic = message.Topic, Outcome = SparkplugSessionOutcome.Applied, StatusChanges = changes, Values = values };

    private static SparkplugSessionResult Ignore(SparkplugMessage message, string reason) =>
        new() { Topic = message.Topic, Outcome = SparkplugSessionOutcome.Ignored, Reason = reason };
}
