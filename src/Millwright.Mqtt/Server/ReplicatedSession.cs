using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A session the <see cref="ISessionReplica"/> keeps, for as long as its client is connected to this broker: what the
/// replica reads (its subscriptions) and how it hands the session its messages.
/// </summary>
public sealed class ReplicatedSession
{
    private readonly MqttServer _server;
    private readonly MqttSession _session;
    private int _takenOver;

    internal ReplicatedSession(MqttServer server, MqttSession session, string? account, long generation)
    {
        _server = server;
        _session = session;
        Account = account;
        Generation = generation;
    }

    /// <summary>The session's key (the client id within its owner, as the gate names it).</summary>
    public string Key => _session.ClientId;

    public string? Account { get; }

    /// <summary>The claim this connection holds; a newer claim of the session has a larger one.</summary>
    public long Generation { get; }

    /// <summary>Another connection claimed the session (here or on another node).</summary>
    public bool TakenOver => Volatile.Read(ref _takenOver) == 1;

    /// <summary>The session's subscriptions now.</summary>
    public IReadOnlyList<StoredSubscription> Subscriptions
    {
        get
        {
            lock (_session.Gate)
            {
                return [.. _session.Subscriptions.Values.Select(s => new StoredSubscription(
                    s.Filter, s.Options.QoS, s.Options.NoLocal, s.Options.RetainAsPublished, s.Options.RetainHandling, s.SubscriptionId))];
            }
        }
    }

    /// <summary>
    /// Hands the session one message from its queue (one MQTT 5.0 PUBLISH, as the bridge carries it). It is sent to the
    /// client as its subscriptions ask (the highest QoS of those it matches, their identifiers); <paramref name="settled"/>
    /// is called once, when the client acknowledged it (QoS 1), when it was sent (QoS 0), or at once when no subscription
    /// of the session matches it or it cannot be held. Bytes that are not one whole PUBLISH are refused with
    /// <see cref="MqttProtocolException"/>, and <paramref name="settled"/> is not called. <paramref name="sender"/> is the
    /// session key of the client that published it (as the bridge carries it), for No Local (3.8.3.1): a subscription
    /// with No Local does not take the session's own messages.
    /// </summary>
    public void Deliver(ReadOnlySpan<byte> message, Action settled, string? sender = null)
    {
        ArgumentNullException.ThrowIfNull(settled);
        var routed = ApplicationMessage.From(MqttServer.DecodeFromPeer(message), sender: null, _server.Now);
        QualityOfService? qos = null;
        var retainAsPublished = false;
        List<uint>? ids = null;
        lock (_session.Gate)
        {
            foreach (var subscription in _session.Subscriptions.Values)
            {
                // Shared subscriptions are routed by each node's own tree, not through the session's queue.
                if (subscription.ShareName is not null || !MqttTopic.Matches(subscription.TopicFilter, routed.Topic)
                    || (subscription.Options.NoLocal && sender == Key))
                {
                    continue;
                }

                qos = qos is { } before ? (QualityOfService)Math.Max((int)before, (int)subscription.Options.QoS) : subscription.Options.QoS;
                retainAsPublished |= subscription.Options.RetainAsPublished;
                if (subscription.SubscriptionId is { } id)
                {
                    (ids ??= []).Add(id);
                }
            }
        }

        if (qos is not { } asked)
        {
            // The queue's binding is coarser than MQTT's rules, or the subscription went meanwhile.
            settled();
            return;
        }

        var granted = (QualityOfService)Math.Min((int)asked, (int)routed.QoS);
        var delivery = new Delivery(routed, granted, retainAsPublished && routed.Retain, ids is null ? [] : ids) { Settled = settled };
        if (!_session.Enqueue(delivery))
        {
            settled();
        }
    }

    /// <summary>A newer claim of the session: its connection here is closed with 0x8E Session taken over.</summary>
    internal void TakeOver()
    {
        if (Interlocked.Exchange(ref _takenOver, 1) == 0)
        {
            MqttConnection? connection;
            lock (_session.Gate)
            {
                connection = _session.Connection;
            }

            connection?.Abort(ReasonCode.SessionTakenOver);
        }
    }

    /// <summary>The replica can no longer feed the session (its queue's channel broke): the client is closed and resumes anew.</summary>
    public void Lost()
    {
        MqttConnection? connection;
        lock (_session.Gate)
        {
            connection = _session.Connection;
        }

        connection?.Abort(ReasonCode.UnspecifiedError);
    }

    internal static Subscription OptionsOf(StoredSubscription stored) =>
        new(stored.Filter, stored.QoS, stored.NoLocal, stored.RetainAsPublished, stored.RetainHandling);
}
