using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A set of topic filters that answers "does any of them match this topic" at the cost of the topic's depth, not of
/// the number of filters: it is the broker's own subscription tree (<see cref="SubscriptionTree"/>), so it matches as
/// routing does ('+', '#' and its parent level, no wildcard at the first level of a '$' topic). Safe to use from any
/// thread (the tree's lock). Only plain filters belong here: a shared subscription's filter is not a topic filter.
/// </summary>
public sealed class TopicFilterSet : IDisposable
{
    // The tree keeps subscriptions per session; every filter of the set belongs to this one holder.
    private static readonly MqttSession Holder = new("topic-filter-set", 0);

    [ThreadStatic]
    private static List<(MqttSession Session, SessionSubscription Subscription)>? t_matches;

    private readonly SubscriptionTree _tree = new();

    public TopicFilterSet()
    {
    }

    public TopicFilterSet(IEnumerable<string> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        foreach (var filter in filters)
        {
            Add(filter);
        }
    }

    /// <summary>The filters in the set.</summary>
    public IReadOnlyList<string> Filters => _tree.Filters();

    /// <summary>Adds <paramref name="filter"/> (a valid, non-shared topic filter); adding one that is there changes nothing.</summary>
    public void Add(string filter)
    {
        if (!Topics.MqttTopic.IsValidTopicFilter(filter) || Topics.MqttTopic.IsShared(filter))
        {
            throw new ArgumentException($"'{filter}' is not a plain topic filter", nameof(filter));
        }

        _tree.Add(Holder, Entry(filter));
    }

    /// <summary>Removes <paramref name="filter"/>; removing one that is not there changes nothing.</summary>
    public void Remove(string filter) => _tree.Remove(Holder, Entry(filter));

    private static SessionSubscription Entry(string filter) =>
        new(filter, filter, null, new Subscription(filter, QualityOfService.AtMostOnce), null);

    /// <summary>Whether some filter of the set matches <paramref name="topic"/> (a topic name).</summary>
    public bool Matches(string topic)
    {
        var matches = t_matches ??= [];
        matches.Clear();
        _tree.Match(topic, matches);
        var any = matches.Count > 0;
        matches.Clear();
        return any;
    }

    public void Dispose() => _tree.Dispose();
}
