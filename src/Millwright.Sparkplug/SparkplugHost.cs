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
    public SparkplugSessionResult Handle(string topic, ReadOnlySpan<byte> payload)
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

        return Handle(SparkplugDecoder.Decode(parsed, payload));
    }

    public SparkplugSessionResult Handle(SparkplugMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
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

        return session.Handle(message);
    }

    public EdgeNodeSession? Find(string groupId, string edgeNodeId) =>
        _sessions.GetValueOrDefault((groupId, edgeNodeId));
}
