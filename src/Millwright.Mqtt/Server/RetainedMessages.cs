using System.Collections.Concurrent;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The last retained message per topic (3.3.1.3); an empty payload clears the topic. Each message counts
/// against the account of the client that published it, so an account's retained topics and bytes are known
/// without a scan. Reads are lock-free; changes take <see cref="_change"/> so that the counts follow the map.
/// </summary>
internal sealed class RetainedMessages
{
    private readonly ConcurrentDictionary<string, ApplicationMessage> _byTopic = new(StringComparer.Ordinal);
    private readonly Lock _change = new();

    public int Count => _byTopic.Count;

    public IReadOnlyCollection<string> Topics() => [.. _byTopic.Keys];

    /// <summary>Null when the account may retain <paramref name="bytes"/> on <paramref name="topic"/>, else the quota it would break.</summary>
    public string? MayRetain(MqttAccount account, string topic, int bytes)
    {
        if (bytes == 0)
        {
            return null;
        }

        var old = _byTopic.GetValueOrDefault(topic);
        var own = old is not null && ReferenceEquals(old.Account, account);
        return account.MayRetain(newTopic: !own, bytes, own ? old!.Payload.Length : 0);
    }

    public void Set(ApplicationMessage message)
    {
        lock (_change)
        {
            ApplicationMessage? old;
            if (message.Payload.IsEmpty)
            {
                _byTopic.TryRemove(message.Topic, out old);
            }
            else
            {
                old = _byTopic.GetValueOrDefault(message.Topic);
                _byTopic[message.Topic] = message;
                message.Account?.Retained(1, message.Payload.Length);
            }

            old?.Account?.Retained(-1, -old.Payload.Length);
        }
    }

    public IEnumerable<ApplicationMessage> Matching(string filter, long now)
    {
        foreach (var (topic, message) in _byTopic)
        {
            if (message.IsExpired(now))
            {
                Expire(topic, message);
            }
            else if (MqttTopic.Matches(filter, topic))
            {
                yield return message;
            }
        }
    }

    /// <summary>Removes what the account retained; returns how many.</summary>
    public int RemoveOf(MqttAccount account)
    {
        var removed = 0;
        lock (_change)
        {
            foreach (var (topic, message) in _byTopic)
            {
                if (ReferenceEquals(message.Account, account) && _byTopic.TryRemove(new KeyValuePair<string, ApplicationMessage>(topic, message)))
                {
                    account.Retained(-1, -message.Payload.Length);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Drops expired messages, so that they stop counting against their account even if no one subscribes.</summary>
    public void SweepExpired(long now)
    {
        foreach (var (topic, message) in _byTopic)
        {
            if (message.IsExpired(now))
            {
                Expire(topic, message);
            }
        }
    }

    private void Expire(string topic, ApplicationMessage message)
    {
        lock (_change)
        {
            if (_byTopic.TryRemove(new KeyValuePair<string, ApplicationMessage>(topic, message)))
            {
                message.Account?.Retained(-1, -message.Payload.Length);
            }
        }
    }
}
