namespace Millwright.Sparkplug;

/// <summary>
/// Host application side: routes decoded messages to the <see cref="EdgeNodeSession"/> of their edge node
/// (group_id + edge_node_id, the Edge Node Descriptor of 4.1.4). Not thread-safe; one consumer feeds it.
/// </summary>
public sealed class SparkplugHost
{
    private readonly Dictionary<(string Group, string Node), EdgeNodeSession> _sessions = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _rebirthInterval;

    public SparkplugHost(TimeProvider timeProvider, TimeSpan? rebirthInterval = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _rebirthInterval = rebirthInterval ?? TimeSpan.FromSeconds(10);
    }

    public IReadOnlyCollection<EdgeNodeSession> Sessions => _sessions.Values;

    /// <summary>Decodes and handles one MQTT message; throws only <see cref="SparkplugProtocolException"/> for bad input.</summary>
    /// <param name="strictBirths">Refuse an NBIRTH that lacks 'Node Control/Rebirth' instead of applying it with a warning.</param>
    public SparkplugSessionResult Handle(string topic, ReadOnlySpan<byte> payload, bool strictBirths = false)
    {
        var parsed = SparkplugTopic.Parse(topic);
        if (parsed.MessageType == SparkplugMessageType.State)
        {
            SparkplugHostState.Parse(payload);
            return new SparkplugSessionResult
            {
                Topic = parsed, Outcome = SparkplugSessionOutcome.Ignored, Reason = "STATE of another host application",
            };
        }

        return Handle(SparkplugDecoder.Decode(parsed, payload), strictBirths);
    }

    public SparkplugSessionResult Handle(SparkplugMessage message, bool strictBirths = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.LacksRebirthMetric && strictBirths)
        {
            throw new SparkplugProtocolException(
                $"{message.Topic}: NBIRTH lacks the Boolean '{SparkplugDecoder.RebirthMetric}' metric (tck-id-topics-nbirth-rebirth-metric).");
        }

        var key = (message.Topic.GroupId, message.Topic.EdgeNodeId);
        if (!_sessions.TryGetValue(key, out var session))
        {
            if (message.Topic.MessageType == SparkplugMessageType.State)
            {
                return new SparkplugSessionResult
                {
                    Topic = message.Topic, Outcome = SparkplugSessionOutcome.Ignored, Reason = "STATE of another host application",
                };
            }

            session = new EdgeNodeSession(key.GroupId, key.EdgeNodeId, _time, _rebirthInterval);
            _sessions.Add(key, session);
        }

        var result = session.Handle(message);
        // The host can still send rebirth requests; the node may merely not announce that it obeys them.
        return message.LacksRebirthMetric
            ? result with { Warning = $"NBIRTH lacks the Boolean '{SparkplugDecoder.RebirthMetric}' metric (tck-id-topics-nbirth-rebirth-metric); accepted" }
            : result;
    }

    public EdgeNodeSession? Find(string groupId, string edgeNodeId) =>
        _sessions.GetValueOrDefault((groupId, edgeNodeId));
}
