using System.Collections.Concurrent;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The broker's side of a session replica (<see cref="ISessionReplica"/>): a kept session gets its messages only from the
/// replica, each settled once the client acknowledged it; its subscriptions are stored before the SUBACK and come back
/// on a resumption; a newer claim closes the connection with 0x8E. <see cref="MemorySessions"/> keeps in memory what the
/// platform keeps in PostgreSQL and RabbitMQ.
/// </summary>
public sealed class SessionReplicaTests
{
    private static readonly MqttProperties Kept = new() { SessionExpiryInterval = 300 };

    [Fact]
    public async Task A_kept_session_gets_messages_only_from_the_replica_each_settled_when_the_client_acknowledged_it()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);
        await using var dashboard = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dashboard", Kept);
        await dashboard.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("plant/#", QualityOfService.ExactlyOnce)] });
        Assert.Equal([ReasonCode.GrantedQoS1], Assert.IsType<SubAckPacket>(await dashboard.ReceiveAsync()).ReasonCodes);
        Assert.Equal("plant/#", Assert.Single(replica.Stored["dashboard"]).Filter);

        // Published here: not routed to the kept session by this broker (the replica's queue carries it).
        await using var device = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "device");
        await device.SendAsync(new PublishPacket { Topic = "plant/press-1/temp", Payload = "local"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 1 });
        Assert.IsType<PubAckPacket>(await device.ReceiveAsync());

        var settled = 0;
        replica.Attached["dashboard"].Deliver(Encode("plant/press-1/temp", "queued", QualityOfService.ExactlyOnce), () => Interlocked.Increment(ref settled));
        replica.Attached["dashboard"].Deliver(Encode("other/topic", "unmatched", QualityOfService.AtLeastOnce), () => Interlocked.Increment(ref settled));
        var message = Assert.IsType<PublishPacket>(await dashboard.ReceiveAsync());
        Assert.Equal("queued", message.Text());
        Assert.Equal(QualityOfService.AtLeastOnce, message.QoS);

        // The unmatched one was settled at once; the delivered one only after its PUBACK.
        Assert.Equal(1, Volatile.Read(ref settled));
        await dashboard.SendAsync(new PubAckPacket { PacketId = message.PacketId });
        await TestBroker.EventuallyAsync(() => Volatile.Read(ref settled) == 2, "the delivery to be settled by the PUBACK");
    }

    [Fact]
    public async Task A_resumed_session_has_its_stored_subscriptions_and_a_newer_claim_takes_it_over_with_0x8E()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);
        await using (var first = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "integration", Kept))
        {
            await first.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("plant/+/cmd", QualityOfService.AtLeastOnce)], Properties = new MqttProperties { SubscriptionIdentifiers = [7] } });
            Assert.IsType<SubAckPacket>(await first.ReceiveAsync());
            await first.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            Assert.Null(await first.ReceiveAsync());
        }

        await TestBroker.EventuallyAsync(() => replica.Closed.TryGetValue("integration", out var expiry) && expiry == 300, "the session to be kept for 300 s");
        Assert.Equal(0, broker.Server.SessionCount);

        var closed = replica.Attached["integration"];
        var resumed = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "integration", Kept, cleanStart: false);
        Assert.True(replica.LastPresent);

        // The broker attaches the resumed session just after its CONNACK, so the test may see the CONNACK first.
        await TestBroker.EventuallyAsync(() => !ReferenceEquals(replica.Attached["integration"], closed), "the resumed session to be attached");
        replica.Attached["integration"].Deliver(Encode("plant/press-1/cmd", "start", QualityOfService.AtLeastOnce), () => { });
        var message = Assert.IsType<PublishPacket>(await resumed.ReceiveAsync());
        Assert.Equal("start", message.Text());
        Assert.Equal([7u], message.Properties!.SubscriptionIdentifiers);

        // Another node claimed the session under a newer generation.
        broker.Server.SessionClaimed("integration", replica.Attached["integration"].Generation + 1);
        Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(await resumed.ReceiveAsync()).ReasonCode);
        await resumed.DisposeAsync();
    }

    [Fact]
    public async Task Queued_bytes_that_are_not_one_whole_PUBLISH_are_refused_and_the_rest_are_settled_once()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);
        await using var dashboard = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dashboard", new MqttProperties { SessionExpiryInterval = 300, ReceiveMaximum = 65535 });
        await dashboard.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("#", QualityOfService.AtMostOnce)] });
        Assert.IsType<SubAckPacket>(await dashboard.ReceiveAsync());

        var publish = Encode("plant/x", "payload", QualityOfService.AtMostOnce);
        var random = new Random(22);
        var settled = 0;
        var taken = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = i % 2 == 0 ? publish.ToArray() : new byte[random.Next(1, 64)];
            if (i % 2 == 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            else
            {
                random.NextBytes(bytes);
            }

            try
            {
                replica.Attached["dashboard"].Deliver(bytes, () => Interlocked.Increment(ref settled));
                taken++;
            }
            catch (MqttProtocolException)
            {
            }
        }

        // Every accepted one is settled exactly once (sent at QoS 0, or not matching, or dropped).
        await TestBroker.EventuallyAsync(() => Volatile.Read(ref settled) == taken, $"{taken} deliveries to be settled");
    }

    [Fact]
    public async Task Of_two_racing_claims_the_newer_generation_keeps_the_session_and_the_older_connection_is_closed_with_0x8E()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);

        // Two CONNECTs raced in the cluster: the later claim (10) is bound here first, the earlier one (9) after it.
        replica.Generations.Enqueue(10);
        replica.Generations.Enqueue(9);
        await using var newer = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "integration", Kept);
        await using var older = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "integration", Kept, cleanStart: false);
        Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(await older.ReceiveAsync()).ReasonCode);

        // The newer connection keeps the session: it subscribes, and gets what the replica feeds it.
        await newer.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("plant/#", QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await newer.ReceiveAsync());
        Assert.Equal(10, replica.Attached["integration"].Generation);
        replica.Attached["integration"].Deliver(Encode("plant/press-1/cmd", "start", QualityOfService.AtLeastOnce), () => { });
        Assert.Equal("start", Assert.IsType<PublishPacket>(await newer.ReceiveAsync()).Text());
    }

    [Fact]
    public async Task A_No_Local_subscription_does_not_take_the_sessions_own_messages_from_the_replica()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);
        await using var dashboard = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dashboard", Kept);
        await dashboard.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("plant/#", QualityOfService.AtLeastOnce, NoLocal: true)] });
        Assert.IsType<SubAckPacket>(await dashboard.ReceiveAsync());

        // Its own message (the bridge names the publisher's session key) is settled unsent; another client's is sent.
        var settled = 0;
        replica.Attached["dashboard"].Deliver(Encode("plant/a", "own", QualityOfService.AtLeastOnce), () => Interlocked.Increment(ref settled), sender: "dashboard");
        Assert.Equal(1, Volatile.Read(ref settled));
        replica.Attached["dashboard"].Deliver(Encode("plant/a", "other", QualityOfService.AtLeastOnce), () => Interlocked.Increment(ref settled), sender: "device");
        Assert.Equal("other", Assert.IsType<PublishPacket>(await dashboard.ReceiveAsync()).Text());
    }

    [Fact]
    public async Task A_QoS_0_message_is_settled_only_once_written_so_none_taken_by_a_closing_connection_is_settled_unsent()
    {
        await using var broker = TestBroker.Start();
        var replica = new MemorySessions();
        broker.Server.AttachSessionReplica(replica);
        var dashboard = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dashboard", Kept);
        await dashboard.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("plant/#", QualityOfService.AtMostOnce)] });
        Assert.IsType<SubAckPacket>(await dashboard.ReceiveAsync());

        // The dashboard reads nothing for now: the sockets' buffers fill and the broker's write stalls with messages
        // in hand. 500 × 64 KiB is well past what loopback buffers hold, and within the session's bound of 1,000.
        const int Sent = 500;
        var message = Encode("plant/press-1/image", new string('x', 64 * 1024), QualityOfService.AtMostOnce);
        var settled = 0;
        for (var i = 0; i < Sent; i++)
        {
            replica.Attached["dashboard"].Deliver(message, () => Interlocked.Increment(ref settled));
        }

        // The connection is closed (a newer claim) while the write stalls; then the dashboard reads what reached it.
        broker.Server.SessionClaimed("dashboard", replica.Attached["dashboard"].Generation + 1);
        await TestBroker.EventuallyAsync(() => replica.Closed.ContainsKey("dashboard"), "the session to be closed");
        var received = 0;
        try
        {
            while (await dashboard.ReceiveAsync() is { } packet)
            {
                received += packet is PublishPacket ? 1 : 0;
            }
        }
        catch (Exception e) when (e is IOException or MqttProtocolException or OperationCanceledException)
        {
            // The close cut the last packet short.
        }

        await dashboard.DisposeAsync();
        Assert.True(received < Sent, $"the write never stalled ({received} of {Sent} received), so this shows nothing");
        Assert.True(Volatile.Read(ref settled) <= received, $"{settled} settled, but only {received} reached the client");
    }

    private static byte[] Encode(string topic, string payload, QualityOfService qos)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Codec.MqttEncoder.Encode(new PublishPacket { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), QoS = qos, PacketId = qos == QualityOfService.AtMostOnce ? (ushort)0 : (ushort)1 }, MqttProtocolVersion.V500, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Sessions by key as the platform keeps them in its table, and the connected ones the test feeds.</summary>
    private sealed class MemorySessions : ISessionReplica
    {
        private long _generation;

        public ConcurrentDictionary<string, IReadOnlyList<StoredSubscription>> Stored { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, ReplicatedSession> Attached { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, uint> Closed { get; } = new(StringComparer.Ordinal);

        public bool LastPresent { get; private set; }

        /// <summary>Generations the next claims get, in order, as the cluster would number them; then counted up.</summary>
        public ConcurrentQueue<long> Generations { get; } = new();

        public Task<SessionClaim> ClaimAsync(MqttClient client, string sessionKey, string? account, bool cleanStart, uint expirySeconds, int? quota, CancellationToken cancellationToken)
        {
            if (cleanStart)
            {
                Stored.TryRemove(sessionKey, out _);
            }

            var present = Stored.TryGetValue(sessionKey, out var subscriptions);
            LastPresent = present;
            if (!present && expirySeconds == 0)
            {
                return Task.FromResult(SessionClaim.Local);
            }

            Stored[sessionKey] = subscriptions ??= [];
            var generation = Generations.TryDequeue(out var given) ? given : Interlocked.Increment(ref _generation);
            return Task.FromResult(new SessionClaim(true, present, generation, subscriptions));
        }

        public Task SaveAsync(ReplicatedSession session, CancellationToken cancellationToken)
        {
            Stored[session.Key] = session.Subscriptions;
            return Task.CompletedTask;
        }

        public void Attach(ReplicatedSession session) => Attached[session.Key] = session;

        public void Close(ReplicatedSession session, uint expirySeconds)
        {
            Closed[session.Key] = expirySeconds;
            if (expirySeconds == 0)
            {
                Stored.TryRemove(session.Key, out _);
            }
        }
    }
}
