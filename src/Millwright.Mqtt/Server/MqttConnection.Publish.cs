using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>PUBLISH in, SUBSCRIBE and UNSUBSCRIBE (5.0 sections 3.3, 3.8, 3.10, 4.3, 4.8).</summary>
internal sealed partial class MqttConnection
{
    private async ValueTask HandlePublishAsync(PublishPacket publish, CancellationToken ct)
    {
        var wait = _rate?.Take() ?? TimeSpan.Zero;
        if (_client!.Account?.PublishDelay() is { } accountWait && accountWait > wait)
        {
            // The account's rate is shared by all its clients: one busy client slows its own tenant, no one else.
            wait = accountWait;
        }

        if (wait > TimeSpan.Zero)
        {
            // Over its rate, a client is slowed down, not cut off: its socket is simply not read for a while.
            HoldBack();
            try
            {
                await Task.Delay(wait, server.Clock, ct);
            }
            finally
            {
                Resume();
            }
        }

        var topic = ResolveTopic(publish);
        var session = _session!;
        if (publish.QoS == QualityOfService.ExactlyOnce && Resent(session, publish.PacketId) is var resent and not ResentQoS2.No)
        {
            // 4.3.3: a QoS 2 PUBLISH resent before PUBREL is not delivered again. One that already had its
            // PUBREC gets another in its turn; one whose PUBREC still waits for durability is answered by it.
            if (resent == ResentQoS2.Owned)
            {
                await MakeRoomAsync(session, publish.QoS, resend: true, ct);
                Acknowledge(new PendingAck(publish.PacketId, QualityOfService.ExactlyOnce, PublishVerdict.Accept));
            }

            return;
        }

        if (publish.QoS != QualityOfService.AtMostOnce)
        {
            await MakeRoomAsync(session, publish.QoS, resend: false, ct);
        }

        var retainQuota = publish.Retain && _client!.Account is { } account ? server.Retained.MayRetain(account, topic, publish.Payload.Length) : null;
        if (retainQuota is not null)
        {
            server.CountQuotaRefusal("retained");
            if (publish.QoS == QualityOfService.AtMostOnce)
            {
                // Nothing acknowledges QoS 0: the server disconnects with the reason instead (3.3.4, 4.13).
                throw new MqttProtocolException(ReasonCode.QuotaExceeded, retainQuota);
            }
        }

        var verdict = retainQuota is not null ? PublishVerdict.Refuse(ReasonCode.QuotaExceeded, retainQuota)
            : server.Gate.MayPublish(_client!, topic) ? await AskGateAsync(publish.Topic == topic ? publish : WithTopic(publish, topic), ct)
            : PublishVerdict.Refuse(ReasonCode.NotAuthorized, $"not allowed to publish to '{topic}'");

        if (verdict.Code == ReasonCode.Success)
        {
            if (publish.Retain && !MqttTopic.IsValidTopicName(topic))
            {
                verdict.ObserveFaults();
                throw new MqttProtocolException(ReasonCode.TopicNameInvalid, "invalid topic");
            }

            // Routed on admission, not on durability: subscribers do not wait for the store's commit. A
            // subscriber may so see a message whose durability then fails; its publisher is told so (0x80 or a
            // closed 3.1.1 connection) and may send it again, as at-least-once allows.
            // The sender is named by its session key, as sessions are, for No Local (3.8.3.1).
            // In a cluster it is acknowledged once the other nodes' queues hold it too (the bridge's confirm), and a
            // retained one once the cluster stored it.
            if (server.Route(ApplicationMessage.From(publish, topic, session.ClientId, server.Now, _client!.Account)) is { } alsoDurable)
            {
                verdict = verdict with { Durable = BothDurable(verdict.Durable, alsoDurable) };
            }
        }
        else if (!IsV5 && verdict.Code == ReasonCode.NotAuthorized)
        {
            // 3.1.1 section 3.3.5: a refused publish either gets a normal acknowledgement or the connection closes.
            verdict.ObserveFaults();
            throw new MqttProtocolException(ReasonCode.NotAuthorized, verdict.Reason ?? "not authorized");
        }

        if (publish.QoS == QualityOfService.AtMostOnce || verdict.Code != ReasonCode.Success)
        {
            // No acknowledgement waits for a QoS 0 message's durability, nor for a refused one's.
            verdict.ObserveFaults();
            if (publish.QoS == QualityOfService.AtMostOnce)
            {
                return;
            }

            verdict = verdict with { Durable = null };
        }

        Acknowledge(new PendingAck(publish.PacketId, publish.QoS, verdict));
    }

    /// <summary>Durable when both are; a late refusal the gate's task carries (a <c>Task&lt;PublishVerdict&gt;</c>) is kept.</summary>
    private static Task BothDurable(Task? gate, Task retained) => gate switch
    {
        null => retained,
        Task<PublishVerdict> verdict => AfterAsync(retained, verdict),
        _ => Task.WhenAll(gate, retained),
    };

    private static async Task<PublishVerdict> AfterAsync(Task retained, Task<PublishVerdict> verdict)
    {
        await Task.WhenAll(retained, verdict);
        return await verdict;
    }

    private ResentQoS2 Resent(MqttSession session, ushort packetId)
    {
        lock (_acksLock)
        {
            if (_pendingRecs is not null && _pendingRecs.Contains(packetId))
            {
                return ResentQoS2.Pending;
            }

            lock (session.Gate)
            {
                return session.OwnsIncomingQoS2(packetId) ? ResentQoS2.Owned : ResentQoS2.No;
            }
        }
    }

    /// <summary>The gate may hold the acknowledgement (the platform waits for its pipeline); that is the server holding back, too.</summary>
    private async ValueTask<PublishVerdict> AskGateAsync(PublishPacket publish, CancellationToken ct)
    {
        // Held back before the gate is even asked: a gate that parks the publish may let time pass at once,
        // and the keep-alive check must not see that moment as the client's silence.
        HoldBack();
        try
        {
            return await server.Gate.PublishAsync(_client!, publish, ct);
        }
        finally
        {
            Resume();
        }
    }

    /// <summary>
    /// The server stops reading this client for its own reasons: the keep-alive clock, which measures what we
    /// read, stands still meanwhile (3.1.2.10), and starts again when reading resumes.
    /// </summary>
    /// <remarks>
    /// Reasons nest (a rate-limit pause while acknowledgements are owed), so holds are counted and the
    /// clock runs again when the last one ends.
    /// </remarks>
    private void HoldBack() => Interlocked.Increment(ref _holdBacks);

    private void Resume()
    {
        Volatile.Write(ref _lastReceived, server.Now);
        Interlocked.Decrement(ref _holdBacks);
    }

    /// <summary>5.0 topic aliases (3.3.2.3.4): an alias with a topic sets it, an alias alone stands for it.</summary>
    private string ResolveTopic(PublishPacket publish)
    {
        if (publish.Properties?.TopicAlias is not { } alias)
        {
            return publish.Topic.Length > 0
                ? publish.Topic
                : throw new MqttProtocolException(ReasonCode.ProtocolError, "empty topic without a topic alias");
        }

        if (alias == 0 || alias > server.Options.TopicAliasMaximum)
        {
            throw new MqttProtocolException(ReasonCode.TopicAliasInvalid, $"topic alias {alias} is outside 1..{server.Options.TopicAliasMaximum}");
        }

        _topicAliases ??= [];
        if (publish.Topic.Length > 0)
        {
            _topicAliases[alias] = publish.Topic;
            return publish.Topic;
        }

        return _topicAliases.TryGetValue(alias, out var topic)
            ? topic
            : throw new MqttProtocolException(ReasonCode.ProtocolError, $"topic alias {alias} was never set");
    }

    private static PublishPacket WithTopic(PublishPacket publish, string topic) => new()
    {
        Topic = topic, Payload = publish.Payload, QoS = publish.QoS, Retain = publish.Retain, Dup = publish.Dup,
        PacketId = publish.PacketId, Properties = publish.Properties,
    };

    private async ValueTask SubscribeAsync(SubscribePacket subscribe, CancellationToken ct)
    {
        var session = _session!;
        var replicated = session.Replica;
        var codes = new ReasonCode[subscribe.Subscriptions.Count];
        var subscriptionId = subscribe.Properties?.SubscriptionIdentifiers is [var id, ..] ? id : (uint?)null;
        var retainedToSend = new List<(SessionSubscription Subscription, bool IsNew)>();
        for (var i = 0; i < codes.Length; i++)
        {
            var options = subscribe.Subscriptions[i];
            string? share = null;
            var topicFilter = options.TopicFilter;
            if (MqttTopic.TryParseShared(options.TopicFilter, out var shareName, out var inner))
            {
                if (options.NoLocal)
                {
                    throw new MqttProtocolException(ReasonCode.ProtocolError, "No Local on a shared subscription (3.8.3.1)");
                }

                share = shareName;
                topicFilter = inner;
            }

            if (!server.Gate.MaySubscribe(_client!, options.TopicFilter))
            {
                codes[i] = IsV5 ? ReasonCode.NotAuthorized : ReasonCode.UnspecifiedError;
                continue;
            }

            if (_client!.Account?.Limits.SubscriptionsPerSession is { } most && SessionIsFull(session, options.TopicFilter, most))
            {
                server.CountQuotaRefusal("subscriptions");
                codes[i] = IsV5 ? ReasonCode.QuotaExceeded : ReasonCode.UnspecifiedError;
                continue;
            }

            if (replicated is not null && options.QoS == QualityOfService.ExactlyOnce)
            {
                // A kept session's messages come from the cluster's queue, which redelivers after a node change with
                // new packet ids: that is at least once, so QoS 1 is what it grants (3.8.4, 3.9.3).
                options = options with { QoS = QualityOfService.AtLeastOnce };
            }

            var subscription = new SessionSubscription(options.TopicFilter, topicFilter, share, options, subscriptionId);
            bool isNew;
            lock (session.Gate)
            {
                isNew = !session.Subscriptions.TryGetValue(options.TopicFilter, out var old);
                if (old is not null)
                {
                    server.Subscriptions.Remove(session, old);
                }

                session.Subscriptions[options.TopicFilter] = subscription;
            }

            if (replicated is null || share is not null)
            {
                // A kept session's own filters are fed by the replica; shared ones are routed per node.
                server.Subscriptions.Add(session, subscription);
            }

            codes[i] = (ReasonCode)(int)options.QoS;
            if (share is null)
            {
                retainedToSend.Add((subscription, isNew));
            }
        }

        if (replicated is not null)
        {
            // Stored, and the session's queue bound, before the SUBACK: what is published after it is kept for the session.
            await SaveReplicatedAsync(replicated, ct);
        }

        // SUBACK goes before the retained messages the subscription brings (3.8.4).
        Send(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes });
        var now = server.Now;
        foreach (var (subscription, isNew) in retainedToSend)
        {
            var handling = subscription.Options.RetainHandling;
            if (handling == RetainHandling.DoNotSend || (handling == RetainHandling.SendOnNewSubscribe && !isNew))
            {
                continue;
            }

            foreach (var message in server.Retained.Matching(subscription.TopicFilter, now))
            {
                var qos = (QualityOfService)Math.Min((int)message.QoS, (int)subscription.Options.QoS);
                IReadOnlyList<uint> ids = subscription.SubscriptionId is { } sid ? [sid] : NoIds;
                session.Enqueue(new Delivery(message, qos, retain: true, ids));
            }
        }
    }

    private async ValueTask UnsubscribeAsync(UnsubscribePacket unsubscribe, CancellationToken ct)
    {
        var session = _session!;
        var codes = new ReasonCode[unsubscribe.TopicFilters.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            SessionSubscription? removed;
            lock (session.Gate)
            {
                session.Subscriptions.Remove(unsubscribe.TopicFilters[i], out removed);
            }

            if (removed is not null)
            {
                server.Subscriptions.Remove(session, removed);
            }

            codes[i] = removed is null ? ReasonCode.NoSubscriptionExisted : ReasonCode.Success;
        }

        if (session.Replica is { } replicated)
        {
            await SaveReplicatedAsync(replicated, ct);
        }

        Send(new UnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = codes });
    }

    /// <summary>A kept session's subscriptions are stored before they are acknowledged; when that fails the connection closes (0x80) and the client resumes what was stored.</summary>
    private async ValueTask SaveReplicatedAsync(ReplicatedSession replicated, CancellationToken ct)
    {
        try
        {
            await server.SessionReplica!.SaveAsync(replicated, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not MqttProtocolException)
        {
            throw new MqttProtocolException(ReasonCode.UnspecifiedError, "the server could not store the session's subscriptions");
        }
    }

    /// <summary>Whether a new filter would take the session past <paramref name="most"/> subscriptions (replacing one is fine).</summary>
    private static bool SessionIsFull(MqttSession session, string topicFilter, int most)
    {
        lock (session.Gate)
        {
            return !session.Subscriptions.ContainsKey(topicFilter) && session.Subscriptions.Count >= most;
        }
    }
}
