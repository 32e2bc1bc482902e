using System.Buffers;
using System.Net;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// MQTT 5.0's normative statements on the reason codes of CONNACK (3.2), SUBACK (3.9), UNSUBACK (3.11) and
/// DISCONNECT (3.14), one test each, named by the statement. Statements tested elsewhere under another name:
/// [MQTT-3.2.2-6] (SessionTests), [MQTT-3.14.4-3] (WillTests.No_will_is_published_after_a_normal_disconnect),
/// [MQTT-4.13.1-1] (BadInputTests.Bad_input_after_CONNECT_closes_only_that_connection_with_its_reason_code).
/// An unknown protocol level is answered with the 3.1.1 return code 1 (the client may not speak 5.0; see
/// BadInputTests), and a CONNECT over the maximum packet size is closed without a CONNACK (4.13 makes it a MAY).
/// A property not allowed in its packet stays 0x81: 2.2.2.2 makes it a Malformed Packet, while a property given
/// twice or a value the property's section forbids (0 for Receive Maximum, ...) is a Protocol Error, 0x82.
/// </summary>
public sealed class ReasonCodeStatementTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    [Fact]
    public async Task MQTT_3_2_0_2_a_second_CONNECT_gets_no_second_CONNACK_but_DISCONNECT_0x82()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "twice");

        await client.SendAsync(new ConnectPacket { ProtocolVersion = V5, ClientId = "twice", CleanStart = true });
        var seen = await client.ReceiveUntilClosedAsync();

        Assert.DoesNotContain(seen, p => p is ConnAckPacket);
        Assert.Equal(ReasonCode.ProtocolError, Assert.IsType<DisconnectPacket>(Assert.Single(seen)).ReasonCode);
    }

    [Theory]
    [InlineData(ReasonCode.BadUserNameOrPassword)]
    [InlineData(ReasonCode.NotAuthorized)]
    [InlineData(ReasonCode.Banned)]
    [InlineData(ReasonCode.QuotaExceeded)]
    public async Task MQTT_3_2_2_7_a_CONNACK_of_0x80_or_more_is_followed_by_the_close(ReasonCode refusal)
    {
        await using var broker = TestBroker.Start(gate: new RefusingGate(refusal));
        await using var client = new RawMqttClient(V5);
        await client.ConnectAsync(broker.Port);

        await client.SendAsync(new ConnectPacket { ProtocolVersion = V5, ClientId = "refused", CleanStart = false });

        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(refusal, connAck.ReasonCode);
        Assert.False(connAck.SessionPresent);
        Assert.Null(await client.ReceiveAsync());
    }

    [Theory]
    [InlineData("gate refuses", ReasonCode.NotAuthorized)]
    [InlineData("gate fails", ReasonCode.ServerUnavailable)]
    [InlineData("will topic with a wildcard", ReasonCode.TopicNameInvalid)]
    [InlineData("receive maximum 0", ReasonCode.ProtocolError)]
    public async Task MQTT_3_2_2_8_every_refusal_uses_a_connect_reason_code(string input, ReasonCode expected)
    {
        await using var broker = TestBroker.Start(gate: new RefusingGate(ReasonCode.NotAuthorized));
        await using var client = new RawMqttClient(V5);
        await client.ConnectAsync(broker.Port);
        var connect = new ConnectPacket { ProtocolVersion = V5, ClientId = "refused", CleanStart = true, UserName = input };
        switch (input)
        {
            case "gate refuses" or "gate fails":
                await client.SendAsync(connect);
                break;
            case "will topic with a wildcard":
                connect.Will = new MqttWill { Topic = "plant/+/down", Payload = "gone"u8.ToArray() };
                await client.SendAsync(connect);
                break;
            default:
                await client.SendRawAsync(ConnectWithReceiveMaximumZero());
                break;
        }

        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(expected, connAck.ReasonCode);
        Assert.True(ReasonCodeRules.IsAllowed(PacketType.ConnAck, connAck.ReasonCode));
    }

    [Fact]
    public async Task MQTT_3_1_4_6_nothing_sent_after_a_refused_CONNECT_is_processed()
    {
        var gate = new RefusingGate(ReasonCode.NotAuthorized);
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = new RawMqttClient(V5);
        await client.ConnectAsync(broker.Port);

        // CONNECT and a PUBLISH in one write: the PUBLISH is already in the server's buffer when it refuses.
        var bytes = new ArrayBufferWriter<byte>();
        MqttEncoder.Encode(new ConnectPacket { ProtocolVersion = V5, ClientId = "eager", CleanStart = true }, V5, bytes);
        MqttEncoder.Encode(new PublishPacket { Topic = "plant/line", Payload = "1"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 1 }, V5, bytes);
        await client.SendRawAsync(bytes.WrittenSpan.ToArray());

        Assert.Equal(ReasonCode.NotAuthorized, Assert.IsType<ConnAckPacket>(await client.ReceiveAsync()).ReasonCode);
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(0, gate.Publishes);
    }

    [Fact]
    public async Task MQTT_3_9_3_1_SUBACK_reason_codes_come_in_the_order_of_the_topic_filters()
    {
        await using var broker = TestBroker.Start(gate: new RefusingGate(ReasonCode.Success));
        await using var client = await broker.ConnectRawAsync(V5, "ordered");

        await client.SendAsync(new SubscribePacket
        {
            PacketId = 7,
            Subscriptions =
            [
                new Subscription("plant/a", QualityOfService.ExactlyOnce), new Subscription(RefusingGate.Forbidden, QualityOfService.AtLeastOnce),
                new Subscription("plant/b", QualityOfService.AtMostOnce), new Subscription("plant/c", QualityOfService.AtLeastOnce),
            ],
        });

        var ack = Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        Assert.Equal((ushort)7, ack.PacketId);
        Assert.Equal([ReasonCode.GrantedQoS2, ReasonCode.NotAuthorized, ReasonCode.Success, ReasonCode.GrantedQoS1], ack.ReasonCodes);
    }

    [Fact]
    public async Task MQTT_3_9_3_2_SUBACK_has_one_subscribe_reason_code_per_topic_filter()
    {
        await using var broker = TestBroker.Start(gate: new RefusingGate(ReasonCode.Success));
        await using var client = await broker.ConnectRawAsync(V5, "each");
        string[] filters = ["plant/#", "$share/group/plant/+", RefusingGate.Forbidden, "plant/+/state", "#"];

        await client.SendAsync(new SubscribePacket { PacketId = 8, Subscriptions = [.. filters.Select(f => new Subscription(f, QualityOfService.AtLeastOnce))] });

        var ack = Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(filters.Length, ack.ReasonCodes.Count);
        Assert.All(ack.ReasonCodes, code => Assert.True(ReasonCodeRules.IsAllowed(PacketType.SubAck, code), $"0x{(int)code:X2} in SUBACK"));
    }

    [Fact]
    public async Task MQTT_3_11_3_1_UNSUBACK_reason_codes_come_in_the_order_of_the_topic_filters()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "unordered");
        await client.SubscribeAsync("plant/a", QualityOfService.AtMostOnce);
        await client.SubscribeAsync("plant/c", QualityOfService.AtMostOnce);

        await client.SendAsync(new UnsubscribePacket { PacketId = 9, TopicFilters = ["plant/c", "plant/b", "plant/a"] });

        var ack = Assert.IsType<UnsubAckPacket>(await client.ReceiveAsync());
        Assert.Equal((ushort)9, ack.PacketId);
        Assert.Equal([ReasonCode.Success, ReasonCode.NoSubscriptionExisted, ReasonCode.Success], ack.ReasonCodes);
    }

    [Fact]
    public async Task MQTT_3_11_3_2_UNSUBACK_has_one_unsubscribe_reason_code_per_topic_filter()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "each-unsub");
        await client.SubscribeAsync("plant/#", QualityOfService.AtLeastOnce);
        string[] filters = ["plant/#", "never/subscribed", "$share/group/plant/+", "plant/#"];

        await client.SendAsync(new UnsubscribePacket { PacketId = 10, TopicFilters = filters });

        var ack = Assert.IsType<UnsubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(filters.Length, ack.ReasonCodes.Count);
        Assert.All(ack.ReasonCodes, code => Assert.True(ReasonCodeRules.IsAllowed(PacketType.UnsubAck, code), $"0x{(int)code:X2} in UNSUBACK"));
    }

    [Fact]
    public async Task MQTT_3_14_0_1_an_error_in_CONNECT_is_answered_without_a_DISCONNECT()
    {
        await using var broker = TestBroker.Start();
        await using var client = new RawMqttClient(V5);
        await client.ConnectAsync(broker.Port);

        await client.SendRawAsync(ConnectWithReceiveMaximumZero());
        var seen = await client.ReceiveUntilClosedAsync();

        Assert.DoesNotContain(seen, p => p is DisconnectPacket);
    }

    [Theory]
    [InlineData("packet id 0", ReasonCode.ProtocolError)]
    [InlineData("topic alias above the maximum", ReasonCode.TopicAliasInvalid)]
    [InlineData("session taken over", ReasonCode.SessionTakenOver)]
    public async Task MQTT_3_14_2_1_the_servers_DISCONNECT_uses_a_disconnect_reason_code_and_MQTT_3_14_2_2_no_session_expiry(string input, ReasonCode expected)
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(V5, "closed");
        await using var other = input == "session taken over" ? await broker.ConnectRawAsync(V5, "closed") : null;
        if (other is null)
        {
            if (input == "packet id 0")
            {
                await client.SendRawAsync(PublishWithPacketIdZero());
            }
            else
            {
                await client.SendAsync(new PublishPacket { Topic = "plant/a", Payload = "1"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 1000 } });
            }
        }

        var disconnect = Assert.IsType<DisconnectPacket>(await client.ReceiveAsync());
        Assert.Equal(expected, disconnect.ReasonCode);
        Assert.True(ReasonCodeRules.IsAllowed(PacketType.Disconnect, disconnect.ReasonCode));
        Assert.Null(disconnect.Properties?.SessionExpiryInterval);
    }

    [Fact]
    public async Task MQTT_3_14_4_1_and_2_after_its_DISCONNECT_the_server_sends_nothing_more_and_closes()
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await broker.ConnectRawAsync(V5, "watcher");
        await watcher.SubscribeAsync("plant/#", QualityOfService.AtLeastOnce);
        await using var publisher = await broker.ConnectRawAsync(V5, "publisher");

        // Messages on their way to the watcher, then a protocol error from it: the DISCONNECT is the last packet.
        for (ushort id = 1; id <= 20; id++)
        {
            await publisher.PublishAtLeastOnceAsync($"plant/{id}", "1");
        }

        await watcher.SendRawAsync(PublishWithPacketIdZero());
        var seen = await watcher.ReceiveUntilClosedAsync();

        Assert.Equal(ReasonCode.ProtocolError, Assert.IsType<DisconnectPacket>(seen[^1]).ReasonCode);
        Assert.Single(seen, p => p is DisconnectPacket);
    }

    /// <summary>A 5.0 QoS 1 PUBLISH to "plant/a" with packet identifier 0 ([MQTT-2.2.1-3]: a Protocol Error).</summary>
    private static byte[] PublishWithPacketIdZero() =>
        [0x32, 0x0D, 0x00, 0x07, (byte)'p', (byte)'l', (byte)'a', (byte)'n', (byte)'t', (byte)'/', (byte)'a', 0x00, 0x00, 0x00, (byte)'1'];

    /// <summary>A 5.0 CONNECT whose properties give Receive Maximum 0 (3.1.2.11.3: a Protocol Error).</summary>
    private static byte[] ConnectWithReceiveMaximumZero() =>
        // Name "MQTT", level 5, clean start, keep-alive 30, properties (3 bytes: Receive Maximum 0x21 = 0), client id "x".
        [0x10, 0x11, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, 0x00, 0x1E, 0x03, 0x21, 0x00, 0x00, 0x00, 0x01, (byte)'x'];

    /// <summary>
    /// Refuses every CONNECT with its code (Success: accepts), except user "gate fails", for which it throws;
    /// refuses subscriptions to <see cref="Forbidden"/>; counts the publishes it is asked to admit.
    /// </summary>
    private sealed class RefusingGate(ReasonCode refusal) : MqttGate
    {
        public const string Forbidden = "secret/#";

        private int _publishes;

        public int Publishes => Volatile.Read(ref _publishes);

        public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
            connect.UserName == "gate fails" ? throw new InvalidOperationException("the store is down")
            : ValueTask.FromResult(refusal == ReasonCode.Success ? ConnectVerdict.Accept() : ConnectVerdict.Refuse(refusal, "refused by the test"));

        public override bool MaySubscribe(MqttClient client, string topicFilter) => topicFilter != Forbidden;

        public override ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _publishes);
            return ValueTask.FromResult(PublishVerdict.Accept);
        }
    }
}
