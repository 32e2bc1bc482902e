namespace Millwright.Mqtt.Server;

/// <summary>
/// All subscriptions, as a tree of topic levels with '+' and '#' branches, so that routing a publish costs
/// the depth of its topic rather than the number of subscriptions. Matching allocates nothing: levels are
/// looked up as spans. Shared subscriptions (5.0 section 4.8.2) hang under their filter by share name.
/// </summary>
internal sealed class SubscriptionTree : IDisposable
{
    private readonly Node _root = new();
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly HashSet<string> _filters = new(StringComparer.Ordinal);

    private Action<string, bool>? _filterChanged;

    /// <summary>
    /// From now on <paramref name="changed"/> is told, under the tree's lock, when a filter gets its first subscriber
    /// (true) or loses its last (false); the filters subscribed already are reported at once, in the same lock, so
    /// that no change falls between the two.
    /// </summary>
    public void Watch(Action<string, bool> changed)
    {
        _lock.EnterWriteLock();
        try
        {
            _filterChanged = changed;
            foreach (var filter in _filters)
            {
                changed(filter, true);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Every filter with at least one subscriber.</summary>
    public IReadOnlyList<string> Filters()
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _filters];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Add(MqttSession session, SessionSubscription subscription)
    {
        _lock.EnterWriteLock();
        try
        {
            var node = Walk(subscription.TopicFilter, create: true)!;
            var before = node.Members;
            if (subscription.ShareName is { } share)
            {
                node.Shared ??= new Dictionary<string, SharedGroup>(StringComparer.Ordinal);
                if (!node.Shared.TryGetValue(share, out var group))
                {
                    node.Shared[share] = group = new SharedGroup();
                }

                group.Members[session] = subscription;
            }
            else
            {
                node.Subscribers ??= [];
                node.Subscribers[session] = subscription;
            }

            if (before == 0 && _filters.Add(subscription.TopicFilter))
            {
                _filterChanged?.Invoke(subscription.TopicFilter, true);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Remove(MqttSession session, SessionSubscription subscription)
    {
        _lock.EnterWriteLock();
        try
        {
            var node = Walk(subscription.TopicFilter, create: false);
            if (node is null)
            {
                return;
            }

            if (subscription.ShareName is { } share)
            {
                if (node.Shared?.TryGetValue(share, out var group) == true)
                {
                    group.Members.Remove(session);
                    if (group.Members.Count == 0)
                    {
                        node.Shared.Remove(share);
                    }
                }
            }
            else
            {
                node.Subscribers?.Remove(session);
            }

            if (node.Members == 0 && _filters.Remove(subscription.TopicFilter))
            {
                _filterChanged?.Invoke(subscription.TopicFilter, false);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds every subscription matching <paramref name="topic"/>; one member per shared group.</summary>
    public void Match(string topic, List<(MqttSession Session, SessionSubscription Subscription)> matches)
    {
        _lock.EnterReadLock();
        try
        {
            // 4.7.2: wildcards at the first level do not match topics that start with '$'.
            MatchLevel(_root, topic.AsSpan(), isFirstLevel: true, topic.StartsWith('$'), matches);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static void MatchLevel(Node node, ReadOnlySpan<char> rest, bool isFirstLevel, bool dollar, List<(MqttSession, SessionSubscription)> matches)
    {
        var slash = rest.IndexOf('/');
        var level = slash < 0 ? rest : rest[..slash];
        var wildcardsAllowed = !(isFirstLevel && dollar);

        if (wildcardsAllowed && node.MultiLevel is { } hash)
        {
            Collect(hash, matches);
        }

        Node? next = null;
        if (node.Children is { } children && children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out next))
        {
            Descend(next, rest, slash, dollar, matches);
        }

        if (wildcardsAllowed && node.SingleLevel is { } plus)
        {
            Descend(plus, rest, slash, dollar, matches);
        }
    }

    private static void Descend(Node next, ReadOnlySpan<char> rest, int slash, bool dollar, List<(MqttSession, SessionSubscription)> matches)
    {
        if (slash < 0)
        {
            Collect(next, matches);

            // "sport/#" also matches "sport" itself (4.7.1.2).
            if (next.MultiLevel is { } parentHash)
            {
                Collect(parentHash, matches);
            }
        }
        else
        {
            MatchLevel(next, rest[(slash + 1)..], isFirstLevel: false, dollar, matches);
        }
    }

    private static void Collect(Node node, List<(MqttSession, SessionSubscription)> matches)
    {
        if (node.Subscribers is { } subscribers)
        {
            foreach (var (session, subscription) in subscribers)
            {
                matches.Add((session, subscription));
            }
        }

        if (node.Shared is { } shared)
        {
            foreach (var group in shared.Values)
            {
                if (group.Pick() is { } member)
                {
                    matches.Add(member);
                }
            }
        }
    }

    private Node? Walk(string filter, bool create)
    {
        var node = _root;
        foreach (var level in filter.Split('/'))
        {
            Node? next;
            if (level == "+")
            {
                next = node.SingleLevel ??= create ? new Node() : null;
            }
            else if (level == "#")
            {
                next = node.MultiLevel ??= create ? new Node() : null;
            }
            else
            {
                node.Children ??= create ? new Dictionary<string, Node>(StringComparer.Ordinal) : null;
                if (node.Children is null)
                {
                    return null;
                }

                if (!node.Children.TryGetValue(level, out next) && create)
                {
                    node.Children[level] = next = new Node();
                }
            }

            if (next is null)
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    public void Dispose() => _lock.Dispose();

    private sealed class Node
    {
        public Dictionary<string, Node>? Children;
        public Node? SingleLevel;
        public Node? MultiLevel;
        public Dictionary<MqttSession, SessionSubscription>? Subscribers;
        public Dictionary<string, SharedGroup>? Shared;

        /// <summary>Sessions subscribed with exactly this node's filter, shared or not.</summary>
        public int Members => (Subscribers?.Count ?? 0) + (Shared?.Values.Sum(g => g.Members.Count) ?? 0);
    }

    /// <summary>Members of one shared subscription; each message goes to one of them, connected ones first.</summary>
    private sealed class SharedGroup
    {
        private int _next;

        public Dictionary<MqttSession, SessionSubscription> Members { get; } = [];

        public (MqttSession, SessionSubscription)? Pick()
        {
            if (Members.Count == 0)
            {
                return null;
            }

            var members = Members.ToArray();
            var start = Interlocked.Increment(ref _next);
            for (var i = 0; i < members.Length; i++)
            {
                var candidate = members[(int)((uint)(start + i) % (uint)members.Length)];
                if (candidate.Key.IsConnected)
                {
                    return (candidate.Key, candidate.Value);
                }
            }

            var fallback = members[(int)((uint)start % (uint)members.Length)];
            return (fallback.Key, fallback.Value);
        }
    }
}
