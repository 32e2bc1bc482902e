using System.Text;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// Malformed and forbidden input on raw sockets: each closes only its own connection, with the reason code
/// the specification asks for (5.0: DISCONNECT before the close, 4.13; 3.1.1: the close alone, 4.8), while a
/// client connected at the same time keeps working.
/// </summary>
public sealed class BadInputTests
{
    private const int MaxPacketSize = 1024;

    public static TheoryData<string, MqttProtocolVersion, ReasonCode> AfterConnect()
    {
        var data = new TheoryData<string, MqttProtocolVersion, ReasonCode>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            data.Add("reserved flags on PINGREQ", version, ReasonCode.MalformedPacket);
            data.Add("remaining length shorter than the topic", version, ReasonCode.MalformedPacket);
            data.Add("overlong UTF-8 in the topic", version, ReasonCode.MalformedPacket);
            data.Add("surrogate encoded in the topic", version, ReasonCode.MalformedPacket);
            data.Add("wildcard in a PUBLISH topic", version, ReasonCode.TopicNameInvalid);
            data.Add("packet over the maximum size", version, ReasonCode.PacketTooLarge);
            data.Add("packet one byte over the maximum size", version, ReasonCode.PacketTooLarge);
            data.Add("second CONNECT", version, ReasonCode.ProtocolError);
            data.Add("QoS 3 PUBLISH", version, ReasonCode.MalformedPacket);
            data.Add("overlong UTF-8 in a SUBSCRIBE filter", version, ReasonCode.MalformedPacket);
            data.Add("a CONNACK from a client", version, ReasonCode.ProtocolError);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AfterConnect))]
    public async Task Bad_input_after_CONNECT_closes_only_that_connection_with_its_reason_code(string input, MqttProtocolVersion version, ReasonCode expected)
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxPacketSize = MaxPacketSize });
        await using var bystander = await broker.ConnectRawAsync(version, "bystander");
        await bystander.SubscribeAsync("ok/#", QualityOfService.AtLeastOnce);
        await using var offender = await broker.ConnectRawAsync(version, "offender");

        await offender.SendRawAsync(Bytes(input, version));

        var seen = await offender.ReceiveUntilClosedAsync();
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(expected, Assert.IsType<DisconnectPacket>(Assert.Single(seen)).ReasonCode);
        }
        else
        {
            Assert.Empty(seen);
        }

        await AssertStillWorksAsync(broker, bystander);
    }

    [Fact]
    public async Task A_packet_before_CONNECT_closes_the_connection_without_an_answer()
    {
        await using var broker = TestBroker.Start();
        await using var bystander = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "bystander");
        await bystander.SubscribeAsync("ok/#", QualityOfService.AtLeastOnce);
        await using var offender = new RawMqttClient(MqttProtocolVersion.V311);
        await offender.ConnectAsync(broker.Port);

        await offender.SendRawAsync([0x30, 0x05, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'b']);

        Assert.Empty(await offender.ReceiveUntilClosedAsync());
        await AssertStillWorksAsync(broker, bystander);
    }

    [Theory]
    [InlineData("MQTT", 6)]
    [InlineData("MQTT", 3)]
    [InlineData("MQIsdp", 3)]
    public async Task An_unknown_protocol_level_or_name_is_refused_with_CONNACK_1_and_closed(string name, byte level)
    {
        await using var broker = TestBroker.Start();
        await using var bystander = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "bystander");
        await bystander.SubscribeAsync("ok/#", QualityOfService.AtLeastOnce);
        await using var offender = new RawMqttClient(MqttProtocolVersion.V311);
        await offender.ConnectAsync(broker.Port);

        // 3.1.2.2 [MQTT-3.1.2-2]: the server answers with return code 0x01 (the 3.1.1 form, since it cannot know the client's).
        byte[] variable = [0, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), level, 0x02, 0x00, 0x3C, 0x00, 0x00];
        await offender.SendRawAsync([0x10, (byte)variable.Length, .. variable]);

        var connAck = Assert.IsType<ConnAckPacket>(Assert.Single(await offender.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.UnsupportedProtocolVersion, connAck.ReasonCode);
        await AssertStillWorksAsync(broker, bystander);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_packet_of_exactly_the_maximum_size_is_accepted(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxPacketSize = MaxPacketSize });
        await using var client = await broker.ConnectRawAsync(version, "fits");
        await client.SendRawAsync(Publish(version, "ok/x"u8, MaxPacketSize));
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
    }

    private static async Task AssertStillWorksAsync(TestBroker broker, RawMqttClient bystander)
    {
        await MosquittoClients.PublishAsync(broker.Port, MqttProtocolVersion.V311, "ok/after", "still here", 1);
        var publish = Assert.IsType<PublishPacket>(await bystander.ReceiveAsync());
        Assert.Equal(("ok/after", "still here"), (publish.Topic, publish.Text()));
    }

    private static byte[] Bytes(string input, MqttProtocolVersion version) => input switch
    {
        "reserved flags on PINGREQ" => [0xC1, 0x00],
        "remaining length shorter than the topic" => [0x30, 0x02, 0x00, 0x05],
        "overlong UTF-8 in the topic" => Publish(version, [(byte)'a', 0xC0, 0x80], 0),
        "surrogate encoded in the topic" => Publish(version, [(byte)'a', 0xED, 0xA0, 0x80], 0),
        "wildcard in a PUBLISH topic" => Publish(version, "a/#"u8, 0),
        "packet over the maximum size" => Publish(version, "ok/x"u8, 2 * MaxPacketSize),
        "packet one byte over the maximum size" => Publish(version, "ok/x"u8, MaxPacketSize + 1),
        "second CONNECT" => [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', (byte)version, 0x02, 0x00, 0x3C, 0x00, 0x00, .. version == MqttProtocolVersion.V500 ? new byte[] { 0x00 } : []],
        "QoS 3 PUBLISH" => [0x36, 0x05, 0x00, 0x01, (byte)'a', 0x00, 0x01],
        "overlong UTF-8 in a SUBSCRIBE filter" => version == MqttProtocolVersion.V500
            ? [0x82, 0x08, 0x00, 0x01, 0x00, 0x00, 0x02, 0xC0, 0x80, 0x01]
            : [0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 0xC0, 0x80, 0x01],
        "a CONNACK from a client" => version == MqttProtocolVersion.V500 ? [0x20, 0x03, 0x00, 0x00, 0x00] : [0x20, 0x02, 0x00, 0x00],
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    /// <summary>
    /// A QoS 0 PUBLISH with the given topic bytes; with <paramref name="totalSize"/> &gt; 0, padded with payload
    /// to exactly that many bytes on the wire (fixed header included), the size Maximum Packet Size counts (2.1.4).
    /// </summary>
    private static byte[] Publish(MqttProtocolVersion version, ReadOnlySpan<byte> topic, int totalSize)
    {
        var head = 2 + topic.Length + (version == MqttProtocolVersion.V500 ? 1 : 0);
        var remaining = head;
        if (totalSize > 0)
        {
            remaining = totalSize - 1 - VariableByteIntegerLength(totalSize - 1 - 4);
            remaining = totalSize - 1 - VariableByteIntegerLength(remaining);
        }

        var bytes = new List<byte> { 0x30 };
        for (var value = remaining; ; value >>= 7)
        {
            bytes.Add((byte)((value & 0x7F) | (value > 0x7F ? 0x80 : 0)));
            if (value <= 0x7F)
            {
                break;
            }
        }

        bytes.AddRange([0, (byte)topic.Length, .. topic]);
        if (version == MqttProtocolVersion.V500)
        {
            bytes.Add(0);
        }

        bytes.AddRange(Enumerable.Repeat((byte)'x', remaining - head));
        Assert.True(totalSize == 0 || bytes.Count == totalSize);
        return [.. bytes];
    }

    private static int VariableByteIntegerLength(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}
