using System.Collections.Concurrent;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>The last retained message per topic (3.3.1.3); an empty payload clears the topic.</summary>
internal sealed class RetainedMessages
{
    private readonly ConcurrentDictionary<string, ApplicationMessage> _byTopic = new(StringComparer.Ordinal);

    public int Count => _byTopic.Count;

    public void Set(ApplicationMessage message)
    {
        if (message.Payload.IsEmpty)
        {
            _byTopic.TryRemove(message.Topic, out _);
        }
        else
        {
            _byTopic[message.Topic] = message;
        }
    }

    public IEnumerable<ApplicationMessage> Matching(string filter, long now)
    {
        foreach (var (topic, message) in _byTopic)
        {
            if (message.IsExpired(now))
            {
                _byTopic.TryRemove(topic, out _);
            }
            else if (MqttTopic.Matches(filter, topic))
            {
                yield return message;
            }
        }
    }
}
