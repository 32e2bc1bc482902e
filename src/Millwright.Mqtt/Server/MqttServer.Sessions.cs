namespace Millwright.Mqtt.Server;

/// <summary>Sessions across connections: binding, take-over, closing with the will, ending (5.0 sections 3.1.2.4, 3.1.3.2, 4.1).</summary>
public sealed partial class MqttServer
{
    /// <summary>
    /// Binds a connection to its session (3.1.2.4), taking it over from an older connection; or, when a session
    /// to keep would pass the client's account's quota, changes nothing and names the quota.
    /// </summary>
    internal (MqttSession? Session, bool Present, MqttConnection? Previous, string? Quota) OpenSession(
        MqttConnection connection, MqttClient client, bool cleanStart, uint expirySeconds)
    {
        var clientId = client.SessionKey ?? client.ClientId;
        var account = client.Account;
        lock (_sessionLock)
        {
            var present = _sessions.TryGetValue(clientId, out var session);
            // A session this account already keeps carries its slot over, also to a clean start that replaces it.
            var keptAlready = account is not null && ReferenceEquals(session?.KeptBy, account);
            if (account is not null && expirySeconds > 0 && !keptAlready && account.TryKeepSession() is { } quota)
            {
                CountQuotaRefusal("sessions");
                return (null, false, null, quota);
            }

            var previous = session?.Connection;
            if (session is not null && cleanStart)
            {
                if (keptAlready && expirySeconds > 0)
                {
                    session.KeptBy = null;
                }

                DropSession(session);
                session = null;
                present = false;
            }

            session ??= _sessions.GetOrAdd(clientId, id => new MqttSession(id, Options.MaxQueuedMessages));
            session.PendingWill?.Cancel();
            session.PendingWill = null;
            if (expirySeconds > 0 && account is not null && session.KeptBy is null)
            {
                session.KeptBy = account;
            }
            else if (expirySeconds == 0 && session.KeptBy is { } kept)
            {
                // Resumed as a session that ends with its connection: it no longer counts as kept.
                kept.SessionEnded();
                session.KeptBy = null;
            }

            lock (session.Gate)
            {
                session.Connection = connection;
                session.Client = client;
                session.DisconnectedAt = null;
                session.ExpirySeconds = expirySeconds;
            }

            return (session, present, previous, null);
        }
    }

    /// <summary>
    /// Binds a connection to a session the replica keeps (<paramref name="claim"/>): a fresh session here with the
    /// stored subscriptions, replacing whatever this broker held under the key (an older connection's is closed with
    /// 0x8E). Its non-shared subscriptions stay out of this broker's routing: the replica feeds them. When this broker
    /// already holds a newer claim of the session (two CONNECTs raced, and the older claim came here last), the newer
    /// one stays and this connection's session is <c>Superseded</c>: it is bound to nothing, and closed with 0x8E.
    /// </summary>
    internal (MqttSession Session, bool Present, MqttConnection? Previous, bool Superseded) OpenReplicatedSession(
        MqttConnection connection, MqttClient client, uint expirySeconds, SessionClaim claim)
    {
        var key = client.SessionKey ?? client.ClientId;
        lock (_sessionLock)
        {
            MqttConnection? previous = null;
            if (_sessions.TryGetValue(key, out var newer) && newer.Replica is { } held && held.Generation > claim.Generation)
            {
                var superseded = new MqttSession(key, Options.MaxQueuedMessages);
                superseded.Replica = new ReplicatedSession(this, superseded, client.Account?.Name, claim.Generation);
                superseded.Connection = connection;
                superseded.Client = client;
                return (superseded, claim.Present, null, true);
            }

            if (_sessions.TryGetValue(key, out var old))
            {
                lock (old.Gate)
                {
                    previous = old.Connection;
                }

                old.Replica?.TakeOver();
                old.PendingWill?.Cancel();
                DropSession(old);
            }

            CancelReplicatedWill(key);
            var session = new MqttSession(key, Options.MaxQueuedMessages);
            session.Replica = new ReplicatedSession(this, session, client.Account?.Name, claim.Generation);
            foreach (var stored in claim.Subscriptions)
            {
                // Checked again, as at SUBSCRIBE: while the client was away its tenant's slug or its machine's name
                // may have changed, and the old name taken by another. A filter it may no longer subscribe to is not
                // restored, so what its queue still holds for it matches nothing and is dropped.
                if (!Gate.MaySubscribe(client, stored.Filter))
                {
                    continue;
                }

                var options = ReplicatedSession.OptionsOf(stored);
                var subscription = Topics.MqttTopic.TryParseShared(stored.Filter, out var share, out var inner)
                    ? new SessionSubscription(stored.Filter, inner, share, options, stored.SubscriptionId)
                    : new SessionSubscription(stored.Filter, stored.Filter, null, options, stored.SubscriptionId);
                session.Subscriptions[stored.Filter] = subscription;
                if (subscription.ShareName is not null)
                {
                    Subscriptions.Add(session, subscription);
                }
            }

            session.Connection = connection;
            session.Client = client;
            session.ExpirySeconds = expirySeconds;
            _sessions[key] = session;
            return (session, claim.Present, previous, false);
        }
    }

    /// <summary>
    /// A connection (on this node or another) claimed the session <paramref name="sessionKey"/> as claim
    /// <paramref name="generation"/>: an older claim's connection here is closed with 0x8E Session taken over, and a
    /// will waiting for its delay is not published (3.1.3.2.2).
    /// </summary>
    public void SessionClaimed(string sessionKey, long generation)
    {
        lock (_sessionLock)
        {
            if (_sessions.TryGetValue(sessionKey, out var session) && session.Replica is { } replicated && replicated.Generation < generation)
            {
                replicated.TakeOver();
            }

            CancelReplicatedWill(sessionKey);
        }
    }

    // Delayed wills of replicated sessions, which leave this broker with their connection: a claim cancels them.
    private readonly Dictionary<string, CancellationTokenSource> _replicatedWills = new(StringComparer.Ordinal);

    private void CancelReplicatedWill(string key)
    {
        if (_replicatedWills.Remove(key, out var pending))
        {
            pending.Cancel();
        }
    }

    /// <summary>A replicated session's connection is gone: the session leaves this broker, and the replica keeps or ends it.</summary>
    private void CloseReplicatedSession(MqttConnection connection, MqttSession session, ReplicatedSession replicated, MqttClient? client, ApplicationMessage? will, uint willDelaySeconds)
    {
        uint expiry;
        lock (_sessionLock)
        {
            lock (session.Gate)
            {
                if (ReferenceEquals(session.Connection, connection))
                {
                    session.Connection = null;
                }

                expiry = session.ExpirySeconds;
            }

            DropSession(session);
        }

        SessionReplica?.Close(replicated, expiry);
        if (will is null || client is null)
        {
            return;
        }

        var delay = expiry == 0 ? 0 : Math.Min(willDelaySeconds, expiry);
        if (delay == 0)
        {
            _ = PublishWillAsync(client, will);
            return;
        }

        if (replicated.TakenOver)
        {
            // The session was claimed before the delay passed: no will (3.1.3.2.2).
            return;
        }

        var pending = new CancellationTokenSource();
        lock (_sessionLock)
        {
            CancelReplicatedWill(session.ClientId);
            _replicatedWills[session.ClientId] = pending;
        }

        _ = Task.Delay(TimeSpan.FromSeconds(delay), Clock, pending.Token).ContinueWith(
            _ =>
            {
                lock (_sessionLock)
                {
                    if (_replicatedWills.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, pending))
                    {
                        _replicatedWills.Remove(session.ClientId);
                    }
                }

                return PublishWillAsync(client, will);
            },
            pending.Token, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Unbinds a closing connection; publishes its will now or after its delay (3.1.3.2.2).</summary>
    internal void CloseSession(MqttConnection connection, MqttSession session, MqttClient? client, ApplicationMessage? will, uint willDelaySeconds)
    {
        if (session.Replica is { } replicated)
        {
            CloseReplicatedSession(connection, session, replicated, client, will, willDelaySeconds);
            return;
        }

        var ended = false;
        var takenOver = false;
        lock (_sessionLock)
        {
            lock (session.Gate)
            {
                if (ReferenceEquals(session.Connection, connection))
                {
                    session.Connection = null;
                    session.DisconnectedAt = Now;
                    ended = session.ExpirySeconds == 0;
                }
                else
                {
                    takenOver = session.Connection is not null;
                }

                // A clean start by a new connection has already ended this session (3.1.2.4).
                if (!_sessions.TryGetValue(session.ClientId, out var current) || !ReferenceEquals(current, session))
                {
                    ended = true;
                    takenOver = false;
                }
            }

            if (ended)
            {
                DropSession(session);
            }
        }

        if (will is null || client is null)
        {
            return;
        }

        // The will waits for the shorter of its delay and the session's life (3.1.3.2.2).
        var delay = ended ? 0 : Math.Min(willDelaySeconds, session.ExpirySeconds);
        if (delay == 0)
        {
            _ = PublishWillAsync(client, will);
            return;
        }

        if (takenOver)
        {
            // A new connection to the session came before the delay passed: no will (3.1.3.2.2).
            return;
        }

        var pending = new CancellationTokenSource();
        session.PendingWill = pending;
        _ = Task.Delay(TimeSpan.FromSeconds(delay), Clock, pending.Token).ContinueWith(
            _ => PublishWillAsync(client, will), pending.Token, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>
    /// A will is published on the client's behalf, so the gate sees it like any publish of that client (the
    /// platform learns a Sparkplug node's death from its NDEATH will).
    /// </summary>
    private async Task PublishWillAsync(MqttClient client, ApplicationMessage will)
    {
        try
        {
            var packet = will.ToPacket(will.QoS, will.Retain, packetId: 0, [], Now, v5: true);
            var verdict = await Gate.PublishAsync(client, packet, _stopping.Token);

            // No one waits for a will's acknowledgement, so nothing waits for its durability either.
            verdict.ObserveFaults();
            if (verdict.Code == ReasonCode.Success)
            {
                ObserveFaults(Route(will));
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing gate (its store down) costs this will, not the server.
        }
    }

    /// <summary>
    /// The client of every session, connected or away: what an application re-checks when access changes
    /// (a revoked key, a deleted device), because an away session still collects messages for its client.
    /// </summary>
    public IReadOnlyList<MqttClient> Clients => [.. _sessions.Values.Select(s => s.Client).OfType<MqttClient>()];

    /// <summary>
    /// Ends a client's access: drops its session (subscriptions, queued messages) and closes its connection,
    /// telling a 5.0 client <paramref name="reason"/> (and <paramref name="reasonString"/>, when given) in
    /// DISCONNECT (a 3.1.1 client just sees the close), with no will. False when the session has since been
    /// bound by another client (a newer connection that logged in again) or has ended: that one is not this
    /// client's to end.
    /// </summary>
    public bool Disconnect(MqttClient client, ReasonCode reason, string? reasonString = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        MqttConnection? connection;
        lock (_sessionLock)
        {
            if (client.SessionKey is not { } key || !_sessions.TryGetValue(key, out var session) || !ReferenceEquals(session.Client, client))
            {
                return false;
            }

            lock (session.Gate)
            {
                connection = session.Connection;

                // A client whose access ended keeps no session in the cluster either: its connection's close ends it.
                if (session.Replica is not null)
                {
                    session.ExpirySeconds = 0;
                }
            }

            try
            {
                DropSession(session);
            }
            finally
            {
                // Whatever dropping the session met, the connection of a client whose access ended is closed.
                connection?.Revoke(reason, reasonString);
            }
        }

        return true;
    }

    private void DropSession(MqttSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, MqttSession>(session.ClientId, session));
        if (session.KeptBy is { } kept)
        {
            kept.SessionEnded();
            session.KeptBy = null;
        }

        // The session's own connection may be subscribing at this moment: its map is read under its lock.
        List<SessionSubscription> subscriptions;
        lock (session.Gate)
        {
            subscriptions = [.. session.Subscriptions.Values];
        }

        foreach (var subscription in subscriptions)
        {
            Subscriptions.Remove(session, subscription);
        }
    }

    /// <summary>Clears every retained message the account's clients set (its tenant was deleted or renamed its slug).</summary>
    public int ClearRetained(string account)
    {
        if (Volatile.Read(ref _retainedReplica) is { } replica)
        {
            ObserveFaults(replica.ClearAsync(account));
        }

        return _accounts.TryGetValue(account, out var found) ? Retained.RemoveOf(found) : 0;
    }
}
