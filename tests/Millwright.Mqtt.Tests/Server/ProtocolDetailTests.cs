using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Smaller rules of the QoS flows, CONNECT and retained messages, checked with our codec as a precise client.</summary>
public sealed class ProtocolDetailTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_QoS_2_publish_sent_again_before_PUBREL_is_delivered_once(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = await broker.ConnectRawAsync(version, "once");
        await subscriber.SubscribeAsync("x/#", QualityOfService.AtMostOnce);
        await using var publisher = await broker.ConnectRawAsync(version, "twice");
        var publish = new PublishPacket { Topic = "x/1", Payload = "p"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 5 };

        await publisher.SendAsync(publish);
        Assert.Equal(5, Assert.IsType<PubRecPacket>(await publisher.ReceiveAsync()).PacketId);
        publish.Dup = true;
        await publisher.SendAsync(publish);
        Assert.Equal(5, Assert.IsType<PubRecPacket>(await publisher.ReceiveAsync()).PacketId);
        await publisher.SendAsync(new PubRelPacket { PacketId = 5 });
        Assert.Equal(5, Assert.IsType<PubCompPacket>(await publisher.ReceiveAsync()).PacketId);

        // 4.3.3: once PUBREL has come, the same id is a new message.
        publish.Dup = false;
        await publisher.SendAsync(publish);
        Assert.IsType<PubRecPacket>(await publisher.ReceiveAsync());
        await publisher.SendAsync(new PubRelPacket { PacketId = 5 });
        Assert.IsType<PubCompPacket>(await publisher.ReceiveAsync());

        Assert.Equal(2, (await subscriber.DrainAsync()).OfType<PublishPacket>().Count());
    }

    [Fact]
    public async Task A_5_0_client_with_an_empty_client_id_is_given_one_in_CONNACK()
    {
        await using var broker = TestBroker.Start();
        await using var client = new RawMqttClient(V5);
        await client.ConnectAsync(broker.Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = V5, ClientId = "" });
        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        Assert.False(string.IsNullOrEmpty(connAck.Properties?.AssignedClientIdentifier));
    }

    [Fact]
    public async Task A_3_1_1_client_with_an_empty_client_id_and_a_persistent_session_is_refused_with_return_code_2()
    {
        await using var broker = TestBroker.Start();
        await using var client = new RawMqttClient(MqttProtocolVersion.V311);
        await client.ConnectAsync(broker.Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "", CleanStart = false });
        var connAck = Assert.IsType<ConnAckPacket>(Assert.Single(await client.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.ClientIdentifierNotValid, connAck.ReasonCode);
    }

    [Fact]
    public async Task Setting_a_session_expiry_at_DISCONNECT_when_CONNECT_had_none_is_a_protocol_error()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "late");
        await client.SendAsync(new DisconnectPacket { Properties = new MqttProperties { SessionExpiryInterval = 60 } });
        var disconnect = Assert.IsType<DisconnectPacket>(Assert.Single(await client.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.ProtocolError, disconnect.ReasonCode);
    }

    [Fact]
    public async Task An_expired_retained_message_is_not_delivered_to_a_new_subscriber()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using var publisher = await broker.ConnectRawAsync(V5, "retainer", keepAlive: 0);
        await publisher.SendAsync(new PublishPacket { Topic = "ret/short", Payload = "a"u8.ToArray(), Retain = true, QoS = QualityOfService.AtLeastOnce, PacketId = 1, Properties = new MqttProperties { MessageExpiryInterval = 5 } });
        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        await publisher.SendAsync(new PublishPacket { Topic = "ret/long", Payload = "b"u8.ToArray(), Retain = true, QoS = QualityOfService.AtLeastOnce, PacketId = 2, Properties = new MqttProperties { MessageExpiryInterval = 60 } });
        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        clock.Advance(TimeSpan.FromSeconds(10));

        await using var subscriber = await broker.ConnectRawAsync(V5, "late-reader", keepAlive: 0);
        await subscriber.SubscribeAsync("ret/#", QualityOfService.AtLeastOnce);
        var publish = Assert.IsType<PublishPacket>(Assert.Single(await subscriber.DrainAsync()));
        Assert.Equal(("ret/long", true, 50u), (publish.Topic, publish.Retain, publish.Properties?.MessageExpiryInterval));
    }

    [Fact]
    public async Task Retain_handling_and_retain_as_published_are_honoured()
    {
        await using var broker = TestBroker.Start();
        await using var publisher = await broker.ConnectRawAsync(V5, "source");
        await publisher.PublishAtLeastOnceAsync("rh/a", "kept", null);
        await publisher.SendAsync(new PublishPacket { Topic = "rh/a", Payload = "kept"u8.ToArray(), Retain = true, QoS = QualityOfService.AtLeastOnce, PacketId = 3 });
        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());

        await using var client = await broker.ConnectRawAsync(V5, "picky");
        await client.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("rh/#", QualityOfService.AtLeastOnce) { RetainHandling = RetainHandling.DoNotSend, RetainAsPublished = true }] });
        Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        Assert.Empty(await client.DrainAsync());

        // Retain As Published keeps the flag on a live retained message (3.8.3.1).
        await publisher.SendAsync(new PublishPacket { Topic = "rh/b", Payload = "live"u8.ToArray(), Retain = true, QoS = QualityOfService.AtLeastOnce, PacketId = 4 });
        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        var live = Assert.IsType<PublishPacket>(await client.ReceiveAsync());
        Assert.Equal(("rh/b", true), (live.Topic, live.Retain));
    }

    [Fact]
    public async Task No_Local_keeps_a_clients_own_messages_from_it_but_not_others()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "echo-free");
        await client.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("nl/#", QualityOfService.AtMostOnce) { NoLocal = true }] });
        Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        await using var other = await broker.ConnectRawAsync(V5, "someone-else");

        await client.PublishAtLeastOnceAsync("nl/mine", "x");
        await other.PublishAtLeastOnceAsync("nl/theirs", "y");

        Assert.Equal(["nl/theirs"], (await client.DrainAsync()).Cast<PublishPacket>().Select(p => p.Topic));
    }

    [Fact]
    public async Task Overlapping_subscriptions_deliver_one_copy_at_the_highest_QoS_with_every_subscription_id()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "overlap");
        await client.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("ov/#", QualityOfService.AtMostOnce)], Properties = new MqttProperties { SubscriptionIdentifiers = [1] } });
        Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        await client.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [new Subscription("ov/+", QualityOfService.AtLeastOnce)], Properties = new MqttProperties { SubscriptionIdentifiers = [2] } });
        Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        await using var publisher = await broker.ConnectRawAsync(V5, "overlap-source");

        await publisher.PublishAtLeastOnceAsync("ov/x", "once");

        var publish = Assert.IsType<PublishPacket>(Assert.Single(await client.DrainAsync()));
        Assert.Equal(QualityOfService.AtLeastOnce, publish.QoS);
        Assert.Equal([1u, 2u], publish.Properties!.SubscriptionIdentifiers!.Order());
    }

    [Fact]
    public async Task More_unreleased_QoS_2_publishes_than_the_servers_receive_maximum_close_with_0x93()
    {
        await using var broker = TestBroker.Start(new Millwright.Mqtt.Server.MqttServerOptions { ReceiveMaximum = 2 });
        await using var client = await broker.ConnectRawAsync(V5, "impatient");
        for (ushort id = 1; id <= 2; id++)
        {
            await client.SendAsync(new PublishPacket { Topic = "rx/1", Payload = "p"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = id });
            Assert.IsType<PubRecPacket>(await client.ReceiveAsync());
        }

        // 3.3.4: the server announced Receive Maximum 2 in CONNACK; a third before any PUBREL is a protocol error.
        await client.SendAsync(new PublishPacket { Topic = "rx/1", Payload = "p"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 3 });
        var disconnect = Assert.IsType<DisconnectPacket>(Assert.Single(await client.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.ReceiveMaximumExceeded, disconnect.ReasonCode);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_gate_that_fails_at_CONNECT_refuses_as_server_unavailable(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(gate: new FailingGate());
        await using var client = new RawMqttClient(version);
        await client.ConnectAsync(broker.Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = version, ClientId = "c", UserName = "down" });
        var connAck = Assert.IsType<ConnAckPacket>(Assert.Single(await client.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.ServerUnavailable, connAck.ReasonCode);
    }

    [Fact]
    public async Task A_gate_that_fails_on_a_publish_closes_only_that_connection_with_0x80()
    {
        await using var broker = TestBroker.Start(gate: new FailingGate());
        await using var bystander = await broker.ConnectRawAsync(V5, "bystander");
        await using var client = await broker.ConnectRawAsync(V5, "unlucky");
        await client.SendAsync(new PublishPacket { Topic = "fail/x", Payload = "p"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 1 });
        var disconnect = Assert.IsType<DisconnectPacket>(Assert.Single(await client.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.UnspecifiedError, disconnect.ReasonCode);
        Assert.Equal(ReasonCode.Success, (await bystander.PublishAtLeastOnceAsync("ok/x", "fine")).ReasonCode);
    }
}
