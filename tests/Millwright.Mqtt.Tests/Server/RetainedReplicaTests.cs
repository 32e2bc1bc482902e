using System.Collections.Concurrent;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The broker's side of a retained replica (<see cref="IRetainedReplica"/>): a retained publish is acknowledged only
/// once the replica stored it, what a peer bridges is left to the replica, and what the replica applies is what new
/// subscribers get. <see cref="TableReplica"/> keeps rows in memory where the platform keeps them in PostgreSQL.
/// </summary>
public sealed class RetainedReplicaTests
{
    [Fact]
    public async Task A_retained_publish_is_acknowledged_once_stored_and_refused_when_storing_fails()
    {
        await using var broker = TestBroker.Start();
        var replica = new TableReplica { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        broker.Server.AttachRetainedReplica(replica);
        await using var device = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "device");

        await device.SendAsync(new PublishPacket { Topic = "plant/press-1/job", Payload = "j-1"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 1 });
        var ack = device.ReceiveAsync();
        await Task.Delay(200);
        Assert.False(ack.IsCompleted, "no PUBACK before the replica stored the message");
        replica.Hold.SetResult();
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await ack).ReasonCode);
        Assert.Equal("j-1", replica.Payload("plant/press-1/job"));

        replica.Hold = null;
        replica.Fail = true;
        await device.SendAsync(new PublishPacket { Topic = "plant/press-1/job", Payload = "j-2"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 2 });
        Assert.Equal(ReasonCode.UnspecifiedError, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);

        // A message that is not retained never waits for the replica.
        await device.SendAsync(new PublishPacket { Topic = "plant/press-1/temp", Payload = "70"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 3 });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);
    }

    [Fact]
    public async Task A_peers_retained_message_comes_from_the_replica_and_a_nodes_own_state_stays_out_of_it()
    {
        await using var a = TestBroker.Start();
        await using var b = TestBroker.Start();
        var table = new TableReplica();
        a.Server.AttachRetainedReplica(table);
        b.Server.AttachRetainedReplica(table);

        await using var device = await a.ConnectRawAsync(MqttProtocolVersion.V500, "device");
        await device.SendAsync(new PublishPacket
        {
            Topic = "plant/press-1/job", Payload = "j-7"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 1,
            Properties = new MqttProperties { ContentType = "text/plain", MessageExpiryInterval = 600 },
        });
        Assert.IsType<PubAckPacket>(await device.ReceiveAsync());

        // Bridged to b, the copy reaches b's subscribers but does not set b's retained message: the replica does.
        var row = table.Rows["plant/press-1/job"];
        b.Server.RouteFromBridge(row.Message.Span);
        Assert.DoesNotContain("plant/press-1/job", b.Server.RetainedTopics());
        b.Server.ApplyRetained("plant/press-1/job", row.Message.Span, "acme", row.ExpiresAt);
        Assert.Equal(1, b.Server.UsageOf("acme")!.Value.RetainedMessages);

        await using var late = await b.ConnectRawAsync(MqttProtocolVersion.V500, "late");
        await late.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [new Subscription("plant/#", QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await late.ReceiveAsync());
        var retained = Assert.IsType<PublishPacket>(await late.ReceiveAsync());
        Assert.True(retained.Retain);
        Assert.Equal("j-7", retained.Text());
        Assert.Equal("text/plain", retained.Properties!.ContentType);
        Assert.InRange(retained.Properties.MessageExpiryInterval!.Value, 590u, 600u);

        // Cleared by the replica; and what a node says about itself only is never stored.
        b.Server.ApplyRetained("plant/press-1/job", [], null, null);
        Assert.Empty(b.Server.RetainedTopics());
        Assert.Equal(0, b.Server.UsageOf("acme")!.Value.RetainedMessages);
        a.Server.Publish("spBv1.0/STATE/millwright", "{\"online\":true}"u8.ToArray(), QualityOfService.AtLeastOnce, retain: true, thisNodeOnly: true);
        Assert.Contains("spBv1.0/STATE/millwright", a.Server.RetainedTopics());
        Assert.False(table.Rows.ContainsKey("spBv1.0/STATE/millwright"));
    }

    [Fact]
    public async Task Stored_bytes_that_are_not_one_whole_PUBLISH_on_the_topic_are_refused_and_change_nothing()
    {
        await using var broker = TestBroker.Start();
        broker.Server.AttachRetainedReplica(new TableReplica());
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Millwright.Mqtt.Codec.MqttEncoder.Encode(new PublishPacket { Topic = "plant/x", Payload = "1"u8.ToArray(), Retain = true }, MqttProtocolVersion.V500, output);
        var publish = output.WrittenSpan.ToArray();

        Assert.Throws<MqttProtocolException>(() => broker.Server.ApplyRetained("plant/y", publish, null, null));
        Assert.Throws<MqttProtocolException>(() => broker.Server.ApplyRetained("plant/x", [.. publish, 0], null, null));
        Assert.Empty(broker.Server.RetainedTopics());

        // Mutations of a stored PUBLISH, and random bytes: each is set as a retained message on its topic or refused.
        var random = new Random(11);
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
                broker.Server.ApplyRetained("plant/x", bytes, "fuzz", null);
            }
            catch (MqttProtocolException)
            {
            }
        }

        Assert.All(broker.Server.RetainedTopics(), t => Assert.Equal("plant/x", t));
    }

    /// <summary>Rows by topic, as the platform's replica keeps them in its table; a store can be held back or fail.</summary>
    private sealed class TableReplica : IRetainedReplica
    {
        public ConcurrentDictionary<string, (ReadOnlyMemory<byte> Message, string? Account, long? ExpiresAt)> Rows { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource? Hold { get; set; }

        public bool Fail { get; set; }

        public string Payload(string topic)
        {
            var decoder = new Millwright.Mqtt.Codec.MqttDecoder(MqttProtocolVersion.V500);
            Assert.True(decoder.TryDecode(Rows[topic].Message.Span, out var packet, out _));
            return Assert.IsType<PublishPacket>(packet).Text();
        }

        public async Task StoreAsync(string topic, ReadOnlyMemory<byte> message, string? account, long? expiresAt)
        {
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            if (Fail)
            {
                throw new IOException("the table is out of reach");
            }

            Rows[topic] = (message.ToArray(), account, expiresAt);
        }

        public Task ClearAsync(string account)
        {
            foreach (var (topic, row) in Rows)
            {
                if (row.Account == account)
                {
                    Rows.TryRemove(topic, out _);
                }
            }

            return Task.CompletedTask;
        }
    }
}
