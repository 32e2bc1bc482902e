namespace Millwright.Mqtt.Server;

/// <summary>
/// The state the server keeps for a client id across connections (5.0 section 4.1): subscriptions, messages
/// waiting for it, outbound QoS 1/2 in flight, and inbound QoS 2 packet ids awaiting PUBREL. All of it is
/// guarded by <see cref="Gate"/>; the connection's writer is the only one that takes messages out.
/// </summary>
internal sealed class MqttSession(string clientId, int maxQueued)
{
    // Made at first use, as is the set of incoming QoS 2 ids: most idle sessions never need them (issue 19).
    private Queue<Delivery>? _queue;
    private Dictionary<ushort, Delivery>? _inflight;
    private HashSet<ushort>? _incomingQoS2;
    private Dictionary<string, SessionSubscription>? _subscriptions;
    private ushort _lastPacketId;
    private long _sequence;

    public string ClientId { get; } = clientId;

    /// <summary>
    /// The session's lock. The session itself (internal, never handed out to code that could lock it for its own ends)
    /// rather than an object of its own: 24 bytes less for each of many thousand idle clients (issue 19).
    /// </summary>
    public object Gate => this;

    /// <summary>The subscriptions by filter, made at first use like the queues; callers hold <see cref="Gate"/>.</summary>
    public Dictionary<string, SessionSubscription> Subscriptions => _subscriptions ??= new(StringComparer.Ordinal);


    /// <summary>The client that last bound this session: whom the application re-checks when access changes.</summary>
    public MqttClient? Client { get; set; }

    /// <summary>The live connection, or null while the client is away.</summary>
    public MqttConnection? Connection { get; set; }

    public bool IsConnected => Connection is not null;

    /// <summary>Seconds the session outlives its connection; uint.MaxValue = never expires.</summary>
    public uint ExpirySeconds { get; set; }

    /// <summary>Unix ms when the client went away; null while connected.</summary>
    public long? DisconnectedAt { get; set; }

    /// <summary>Cancels a pending delayed will when the client comes back (3.1.3.2.2).</summary>
    public CancellationTokenSource? PendingWill { get; set; }

    /// <summary>Set while the session is kept by the cluster's <see cref="ISessionReplica"/>: its messages come from there.</summary>
    public ReplicatedSession? Replica { get; set; }

    /// <summary>The account this session counts against as a kept (persistent) session; guarded by the server's session lock.</summary>
    public MqttAccount? KeptBy { get; set; }

    public long Dropped { get; private set; }

    public int QueuedCount
    {
        get
        {
            lock (Gate)
            {
                return Held;
            }
        }
    }

    /// <summary>
    /// Queues a message for the client; false when it was dropped: QoS 0 while the client is away (3.1.2.4
    /// leaves this to the server), or the session holds its bound. Sent but unacknowledged deliveries count
    /// too: a 3.1.1 client has no Receive Maximum, so a subscriber that stops acknowledging would otherwise
    /// pin up to 65,535 messages in flight.
    /// </summary>
    public bool Enqueue(Delivery delivery)
    {
        MqttConnection? wake;
        lock (Gate)
        {
            if ((delivery.QoS == QualityOfService.AtMostOnce && Connection is null) || Held >= maxQueued)
            {
                Dropped++;
                return false;
            }

            (_queue ??= new()).Enqueue(delivery);
            wake = Connection;
        }

        wake?.WakeWriter();
        return true;
    }

    /// <summary>
    /// Moves what may be sent now into <paramref name="output"/>: QoS 0 at once, QoS 1/2 while the client's receive
    /// window has room. A QoS 0 delivery is settled by the writer once it was written, not here: a connection that
    /// closes before the write must not have it acknowledged to the replica unsent.
    /// </summary>
    public void TakeSendable(List<Delivery> output, int receiveMaximum, long now)
    {
        List<Action>? settled = null;
        lock (Gate)
        {
            while (_queue is not null && _queue.TryPeek(out var next))
            {
                if (next.Message.IsExpired(now))
                {
                    _queue.Dequeue();
                    if (next.Settled is { } expired)
                    {
                        (settled ??= []).Add(expired);
                    }

                    continue;
                }

                if (next.QoS != QualityOfService.AtMostOnce)
                {
                    if ((_inflight?.Count ?? 0) >= receiveMaximum)
                    {
                        break;
                    }

                    next.PacketId = NextPacketId();
                    next.Sequence = ++_sequence;
                    next.State = next.QoS == QualityOfService.AtLeastOnce ? DeliveryState.AwaitingPubAck : DeliveryState.AwaitingPubRec;
                    (_inflight ??= [])[next.PacketId] = next;
                }

                _queue.Dequeue();
                output.Add(next);
            }
        }

        // Outside the lock: a replica's acknowledgement only queues work, but it is not the session's to wait for.
        settled?.ForEach(s => s());
    }

    /// <summary>What must be sent again on a resumed session (4.4): unacknowledged publishes and pending PUBRELs, in order.</summary>
    public List<Delivery> Unacknowledged()
    {
        lock (Gate)
        {
            return _inflight is null ? [] : _inflight.Values.OrderBy(d => d.Sequence).ToList();
        }
    }

    /// <summary>Settles an outbound QoS handshake step; false for an unknown id or a step out of order.</summary>
    public bool Acknowledge(ushort packetId, DeliveryState expected, DeliveryState? next)
    {
        Delivery? done = null;
        lock (Gate)
        {
            if (_inflight is null || !_inflight.TryGetValue(packetId, out var delivery) || delivery.State != expected)
            {
                return false;
            }

            if (next is { } state)
            {
                delivery.State = state;
            }
            else
            {
                _inflight.Remove(packetId);
                done = delivery;
            }
        }

        done?.Settled?.Invoke();
        return true;
    }

    /// <summary>A delivery the client could not take (too large for its Maximum Packet Size): forget it.</summary>
    public void Discard(Delivery delivery)
    {
        lock (Gate)
        {
            if (delivery.PacketId != 0)
            {
                _inflight?.Remove(delivery.PacketId);
            }

            Dropped++;
        }

        // Discarded as if delivered (3.1.2.11.4), at any QoS.
        delivery.Settled?.Invoke();
    }

    /// <summary>Incoming QoS 2 ids owned since their PUBREC, awaiting PUBREL (4.3.3); callers hold <see cref="Gate"/>.</summary>
    public int IncomingQoS2Count => _incomingQoS2?.Count ?? 0;

    /// <inheritdoc cref="IncomingQoS2Count"/>
    public bool OwnsIncomingQoS2(ushort packetId) => _incomingQoS2 is not null && _incomingQoS2.Contains(packetId);

    /// <inheritdoc cref="IncomingQoS2Count"/>
    public void AddIncomingQoS2(ushort packetId) => (_incomingQoS2 ??= []).Add(packetId);

    /// <inheritdoc cref="IncomingQoS2Count"/>
    public bool RemoveIncomingQoS2(ushort packetId) => _incomingQoS2 is not null && _incomingQoS2.Remove(packetId);

    /// <summary>Queued and in flight together; callers hold <see cref="Gate"/>.</summary>
    private int Held => (_queue?.Count ?? 0) + (_inflight?.Count ?? 0);

    private ushort NextPacketId()
    {
        // Packet ids are 1..65535 and must not collide with one still in flight (2.2.1).
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_inflight is not null && _inflight.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }
}
