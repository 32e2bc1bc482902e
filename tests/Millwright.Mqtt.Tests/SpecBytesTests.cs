using System.Text;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Fuzzing;

namespace Millwright.Mqtt.Tests;

/// <summary>Bytes captured from mosquitto_pub 2.0 (Debian 12) and written by hand from the specification.</summary>
public sealed class SpecBytesTests
{
    // mosquitto_pub -V mqttv311 -i mw-press-1 -u dev -P secret -q 1 -k 30 --will-topic mw/acme/press-1/state
    //   --will-payload offline --will-retain --will-qos 1 -t mw/acme/press-1/telemetry -m '{"values":{"t":21.5}}'
    private const string Mosquitto311 =
        "104300044d51545404ee001e000a6d772d70726573732d3100156d772f61636d652f70726573732d312f737461746500076f66666c696e65" +
        "00036465760006736563726574323200196d772f61636d652f70726573732d312f74656c656d6574727900017b2276616c756573223a7b22" +
        "74223a32312e357d7d";

    // mosquitto_pub -V mqttv5 -i mw-press-1 -t mw/acme/press-1/telemetry -m hi -D publish user-property site plant-2
    //   -D connect session-expiry-interval 60 -D publish content-type text/plain
    private const string Mosquitto5 =
        "101f00044d5154540502003c08110000003c210014000a6d772d70726573732d31303b00196d772f61636d652f70726573732d312f74656c" +
        "656d657472791d260004736974650007706c616e742d3203000a746578742f706c61696e6869e000";

    [Fact]
    public void A_3_1_1_connect_and_publish_from_mosquitto_pub_decode_field_by_field()
    {
        var decoder = new MqttDecoder();
        ReadOnlySpan<byte> bytes = Wire.Hex(Mosquitto311);

        Assert.True(decoder.TryDecode(bytes, out var first, out var consumed));
        var connect = Assert.IsType<ConnectPacket>(first);
        Assert.Equal(MqttProtocolVersion.V311, decoder.Version);
        Assert.Equal(MqttProtocolVersion.V311, connect.ProtocolVersion);
        Assert.True(connect.CleanStart);
        Assert.Equal(30, connect.KeepAliveSeconds);
        Assert.Equal("mw-press-1", connect.ClientId);
        Assert.Equal("dev", connect.UserName);
        Assert.Equal("secret"u8.ToArray(), connect.Password);
        Assert.NotNull(connect.Will);
        Assert.Equal("mw/acme/press-1/state", connect.Will.Topic);
        Assert.Equal("offline"u8.ToArray(), connect.Will.Payload.ToArray());
        Assert.Equal(QualityOfService.AtLeastOnce, connect.Will.QoS);
        Assert.True(connect.Will.Retain);
        Assert.Null(connect.Properties);

        Assert.True(decoder.TryDecode(bytes[consumed..], out var second, out var consumed2));
        var publish = Assert.IsType<PublishPacket>(second);
        Assert.Equal("mw/acme/press-1/telemetry", publish.Topic);
        Assert.Equal(QualityOfService.AtLeastOnce, publish.QoS);
        Assert.Equal(1, publish.PacketId);
        Assert.False(publish.Retain);
        Assert.False(publish.Dup);
        Assert.Equal("{\"values\":{\"t\":21.5}}", Encoding.UTF8.GetString(publish.Payload.Span));
        Assert.Equal(bytes.Length, consumed + consumed2);

        // Our encoder writes the very same bytes for the same packets.
        Assert.Equal(bytes[..consumed].ToArray(), Wire.Encode(connect, MqttProtocolVersion.V311));
        Assert.Equal(bytes[consumed..].ToArray(), Wire.Encode(publish, MqttProtocolVersion.V311));
    }

    [Fact]
    public void A_5_0_connect_publish_and_disconnect_from_mosquitto_pub_decode_with_their_properties()
    {
        var decoder = new MqttDecoder();
        var sequence = Wire.Split(Wire.Hex(Mosquitto5), 7, 40);

        Assert.True(decoder.TryDecode(ref sequence, out var first));
        var connect = Assert.IsType<ConnectPacket>(first);
        Assert.Equal(MqttProtocolVersion.V500, decoder.Version);
        Assert.Equal(60, connect.KeepAliveSeconds);
        Assert.Equal(60u, connect.Properties!.SessionExpiryInterval);
        Assert.Equal((ushort)20, connect.Properties.ReceiveMaximum);
        Assert.Equal("mw-press-1", connect.ClientId);

        Assert.True(decoder.TryDecode(ref sequence, out var second));
        var publish = Assert.IsType<PublishPacket>(second);
        Assert.Equal("mw/acme/press-1/telemetry", publish.Topic);
        Assert.Equal("text/plain", publish.Properties!.ContentType);
        Assert.Equal([new UserProperty("site", "plant-2")], publish.Properties.UserProperties);
        Assert.Equal("hi"u8.ToArray(), publish.Payload.ToArray());

        Assert.True(decoder.TryDecode(ref sequence, out var third));
        Assert.Equal(ReasonCode.Success, Assert.IsType<DisconnectPacket>(third).ReasonCode);
        Assert.True(sequence.IsEmpty);
    }

    [Theory]
    [InlineData("c000", PacketType.PingReq)]
    [InlineData("d000", PacketType.PingResp)]
    [InlineData("e000", PacketType.Disconnect)]
    public void Two_byte_packets_decode_in_both_versions(string hex, PacketType type)
    {
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            Assert.True(new MqttDecoder(version).TryDecode(Wire.Hex(hex), out var packet, out _));
            Assert.Equal(type, packet.Type);
        }
    }

    [Fact]
    public void A_subscribe_written_from_the_3_1_1_example_decodes()
    {
        // 3.1.1 section 3.8.3 figure 3.23: "a/b" QoS 1 and "c/d" QoS 2, packet identifier 10.
        var bytes = Wire.Frame(0x82, "000A" + Wire.Str("a/b") + "01" + Wire.Str("c/d") + "02");
        Assert.True(new MqttDecoder(MqttProtocolVersion.V311).TryDecode(bytes, out var packet, out _));
        var subscribe = Assert.IsType<SubscribePacket>(packet);
        Assert.Equal(10, subscribe.PacketId);
        Assert.Equal([new Subscription("a/b", QualityOfService.AtLeastOnce), new Subscription("c/d", QualityOfService.ExactlyOnce)], subscribe.Subscriptions);
    }

    [Fact]
    public void A_5_0_puback_with_remaining_length_2_means_success_and_3_carries_only_the_reason()
    {
        var decoder = new MqttDecoder(MqttProtocolVersion.V500);
        Assert.True(decoder.TryDecode(Wire.Hex("40 02 00 07"), out var a, out _));
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(a).ReasonCode);
        Assert.True(decoder.TryDecode(Wire.Hex("40 03 00 07 10"), out var b, out _));
        Assert.Equal(ReasonCode.NoMatchingSubscribers, Assert.IsType<PubAckPacket>(b).ReasonCode);
        Assert.Null(((PubAckPacket)b).Properties);
        Assert.Equal(Wire.Hex("40 02 00 07"), Wire.Encode(new PubAckPacket { PacketId = 7 }, MqttProtocolVersion.V500));
        Assert.Equal(Wire.Hex("40 03 00 07 10"), Wire.Encode(b, MqttProtocolVersion.V500));
    }

    [Fact]
    public void A_5_0_disconnect_with_only_a_reason_code_decodes()
    {
        Assert.True(new MqttDecoder(MqttProtocolVersion.V500).TryDecode(Wire.Hex("e0 01 8e"), out var packet, out _));
        Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(packet).ReasonCode);
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    public void Remaining_length_uses_the_variable_byte_integer_of_section_1_5_5(int remaining, string expected)
    {
        // A QoS 0 PUBLISH to "a" has 3 bytes of variable header; the payload makes up the rest.
        var payload = remaining >= 3 ? new byte[remaining - 3] : [];
        if (remaining < 3)
        {
            Assert.Equal(0, remaining);
            Assert.Equal(Wire.Hex("e0" + expected), Wire.Encode(new DisconnectPacket(), MqttProtocolVersion.V311));
            return;
        }

        var bytes = Wire.Encode(new PublishPacket { Topic = "a", Payload = payload }, MqttProtocolVersion.V311);
        Assert.Equal(Wire.Hex(expected), bytes.AsSpan(1, expected.Length / 2).ToArray());
        Assert.True(new MqttDecoder(MqttProtocolVersion.V311).TryDecode(bytes, out var packet, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(payload.Length, ((PublishPacket)packet).Payload.Length);
    }
}
