using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The broker's side of a bridge to other nodes (<see cref="IMqttBridge"/>): which filter changes it reports, what it
/// forwards, and how a forwarded message is routed on the other broker. Two brokers here are joined by
/// <see cref="DirectBridge"/>, which hands bytes straight across where the platform uses RabbitMQ.
/// </summary>
public sealed class BridgeTests
{
    [Fact]
    public async Task A_filter_is_reported_with_its_first_subscriber_and_gone_with_its_last()
    {
        await using var broker = TestBroker.Start();
        var bridge = new DirectBridge();
        broker.Server.AttachBridge(bridge);

        await using var one = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "one");
        await using var two = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "two");
        await SubscribeAsync(one, "plant/+/temp");
        await SubscribeAsync(two, "plant/+/temp");
        await SubscribeAsync(two, "$share/g/plant/#");
        Assert.Equal(["+plant/+/temp", "+plant/#"], bridge.Changes);
        Assert.Equal(["plant/#", "plant/+/temp"], broker.Server.SubscribedFilters().Order(StringComparer.Ordinal));

        await UnsubscribeAsync(one, "plant/+/temp");
        Assert.Equal(2, bridge.Changes.Count);
        await UnsubscribeAsync(two, "plant/+/temp");
        Assert.Equal("-plant/+/temp", bridge.Changes[^1]);

        // A clean session's end drops its subscriptions, the shared one too.
        await two.DisposeAsync();
        await TestBroker.EventuallyAsync(() => bridge.Changes[^1] == "-plant/#", "the shared filter's removal");
        Assert.Empty(broker.Server.SubscribedFilters());
    }

    [Fact]
    public async Task The_servers_own_publish_is_forwarded_unless_it_is_for_this_node_only()
    {
        await using var broker = TestBroker.Start();
        var bridge = new DirectBridge();
        broker.Server.AttachBridge(bridge);

        broker.Server.Publish("mw/acme/press-1/cmd", "{}"u8.ToArray(), QualityOfService.AtLeastOnce);
        Assert.Equal(1, bridge.Forwarded);

        // A node's Sparkplug host state is its own: another node's subscribers must not take it for theirs.
        broker.Server.Publish("spBv1.0/STATE/millwright", "{\"online\":false}"u8.ToArray(), QualityOfService.AtLeastOnce, retain: true, thisNodeOnly: true);
        Assert.Equal(1, bridge.Forwarded);
    }

    [Fact]
    public async Task A_QoS_1_publish_is_acknowledged_only_once_the_bridge_confirmed_it_and_refused_when_it_could_not()
    {
        await using var broker = TestBroker.Start();
        var bridge = new HeldBridge();
        broker.Server.AttachBridge(bridge);
        await using var device = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "device");

        // QoS 0 asks for no confirm; QoS 1 does, and its PUBACK waits for it.
        await device.SendAsync(new PublishPacket { Topic = "plant/a", Payload = "zero"u8.ToArray(), QoS = QualityOfService.AtMostOnce });
        await device.SendAsync(new PublishPacket { Topic = "plant/a", Payload = "one"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 1 });
        await TestBroker.EventuallyAsync(() => bridge.Confirms.Count == 1 && bridge.Forwarded == 2, "the QoS 1 message to wait for the bridge");
        // A ping read after the publish is answered first: its PUBACK is held, where it would otherwise be sent at once.
        await device.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await device.ReceiveAsync());
        bridge.Confirms[0].SetResult();
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);

        // Not confirmed (the link went, RabbitMQ refused it): the publisher is told, and sends it again.
        await device.SendAsync(new PublishPacket { Topic = "plant/a", Payload = "two"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 2 });
        await TestBroker.EventuallyAsync(() => bridge.Confirms.Count == 2, "the second message to wait for the bridge");
        bridge.Confirms[1].SetException(new IOException("the link went"));
        Assert.Equal(ReasonCode.UnspecifiedError, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);
    }

    [Fact]
    public async Task Filters_subscribed_before_the_bridge_is_attached_are_reported_when_it_is()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "early");
        await SubscribeAsync(client, "early/#");

        var bridge = new DirectBridge();
        broker.Server.AttachBridge(bridge);
        Assert.Equal(["+early/#"], bridge.Changes);
        Assert.Throws<InvalidOperationException>(() => broker.Server.AttachBridge(new DirectBridge()));
    }

    [Fact]
    public async Task A_message_published_on_one_broker_reaches_a_subscriber_of_the_other_with_its_properties_and_is_not_sent_back()
    {
        await using var a = TestBroker.Start();
        await using var b = TestBroker.Start();
        var toB = new DirectBridge { Peer = b.Server };
        var toA = new DirectBridge { Peer = a.Server };
        a.Server.AttachBridge(toB);
        b.Server.AttachBridge(toA);

        await using var subscriber = await b.ConnectRawAsync(MqttProtocolVersion.V500, "dashboard");
        await SubscribeAsync(subscriber, "plant/#");
        await using var device = await a.ConnectRawAsync(MqttProtocolVersion.V500, "device");
        await device.SendAsync(new PublishPacket
        {
            Topic = "plant/press-1/temp",
            Payload = "71.5"u8.ToArray(),
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 1,
            Properties = new MqttProperties { ContentType = "text/plain", UserProperties = [new UserProperty("unit", "C")], MessageExpiryInterval = 600 },
        });
        Assert.IsType<PubAckPacket>(await device.ReceiveAsync());

        var received = Assert.IsType<PublishPacket>(await subscriber.ReceiveAsync());
        Assert.Equal("plant/press-1/temp", received.Topic);
        Assert.Equal("71.5", received.Text());
        Assert.Equal(QualityOfService.AtLeastOnce, received.QoS);
        Assert.Equal("text/plain", received.Properties!.ContentType);
        Assert.Equal(new UserProperty("unit", "C"), Assert.Single(received.Properties.UserProperties));
        Assert.InRange(received.Properties.MessageExpiryInterval!.Value, 590u, 600u);

        Assert.Equal(1, toB.Forwarded);
        Assert.Equal(0, toA.Forwarded);
    }

    [Fact]
    public async Task Bytes_that_are_not_one_whole_PUBLISH_are_refused_and_route_nothing()
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "all");
        await SubscribeAsync(subscriber, "#");

        var publish = EncodePublish("plant/x", "1");
        Assert.Throws<MqttProtocolException>(() => broker.Server.RouteFromBridge([.. publish, 0]));
        Assert.Throws<MqttProtocolException>(() => broker.Server.RouteFromBridge(publish.AsSpan(0, publish.Length - 1)));
        Assert.Throws<MqttProtocolException>(() => broker.Server.RouteFromBridge([0xC0, 0x00]));
        Assert.Throws<MqttProtocolException>(() => broker.Server.RouteFromBridge(EncodePublish("", "no topic")));

        // Mutations of a real PUBLISH, and random bytes: each is routed as a PUBLISH or refused, nothing else.
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = i % 2 == 0 ? publish.ToArray() : new byte[random.Next(0, 64)];
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
                broker.Server.RouteFromBridge(bytes);
            }
            catch (MqttProtocolException)
            {
            }
        }

        // The broker still routes a good one to its subscriber.
        broker.Server.RouteFromBridge(EncodePublish("plant/last", "ok"));
        PublishPacket last;
        do
        {
            last = Assert.IsType<PublishPacket>(await subscriber.ReceiveAsync());
        }
        while (last.Topic != "plant/last");
        Assert.Equal("ok", last.Text());
    }

    private static byte[] EncodePublish(string topic, string payload)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Millwright.Mqtt.Codec.MqttEncoder.Encode(new PublishPacket { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload) }, MqttProtocolVersion.V500, output);
        return output.WrittenSpan.ToArray();
    }

    private static async Task SubscribeAsync(RawMqttClient client, string filter)
    {
        await client.SendAsync(new SubscribePacket { PacketId = 9, Subscriptions = [new Subscription(filter, QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
    }

    private static async Task UnsubscribeAsync(RawMqttClient client, string filter)
    {
        await client.SendAsync(new UnsubscribePacket { PacketId = 10, TopicFilters = [filter] });
        Assert.IsType<UnsubAckPacket>(await client.ReceiveAsync());
    }

    /// <summary>Takes every message and holds each confirm asked for until the test settles it.</summary>
    private sealed class HeldBridge : IMqttBridge
    {
        private readonly List<TaskCompletionSource> _confirms = [];
        private int _forwarded;

        public int Forwarded => Volatile.Read(ref _forwarded);

        public List<TaskCompletionSource> Confirms
        {
            get
            {
                lock (_confirms)
                {
                    return [.. _confirms];
                }
            }
        }

        public void FilterAdded(string topicFilter)
        {
        }

        public void FilterRemoved(string topicFilter)
        {
        }

        public bool Accepts(string topic) => true;

        public Task? Forward(string topic, ReadOnlyMemory<byte> message, bool confirm, string? sender)
        {
            Interlocked.Increment(ref _forwarded);
            if (!confirm)
            {
                return null;
            }

            var confirmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_confirms)
            {
                _confirms.Add(confirmed);
            }

            return confirmed.Task;
        }
    }

    /// <summary>Records filter changes and hands forwarded messages straight to <see cref="Peer"/>, if any.</summary>
    private sealed class DirectBridge : IMqttBridge
    {
        private readonly List<string> _changes = [];
        private int _forwarded;

        public MqttServer? Peer { get; init; }

        public List<string> Changes
        {
            get
            {
                lock (_changes)
                {
                    return [.. _changes];
                }
            }
        }

        public int Forwarded => Volatile.Read(ref _forwarded);

        public void FilterAdded(string topicFilter)
        {
            lock (_changes)
            {
                _changes.Add("+" + topicFilter);
            }
        }

        public void FilterRemoved(string topicFilter)
        {
            lock (_changes)
            {
                _changes.Add("-" + topicFilter);
            }
        }

        public bool Accepts(string topic) => true;

        public Task? Forward(string topic, ReadOnlyMemory<byte> message, bool confirm, string? sender)
        {
            Interlocked.Increment(ref _forwarded);
            Peer?.RouteFromBridge(message.Span);

            // Handed over at once: confirmed as soon as asked.
            return confirm ? Task.CompletedTask : null;
        }
    }
}
