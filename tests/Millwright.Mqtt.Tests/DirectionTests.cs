using Millwright.Mqtt.Codec;
using static Millwright.Fuzzing.Wire;

namespace Millwright.Mqtt.Tests;

/// <summary>A server decoder refuses what only servers send, and a client decoder what only clients send (2.1.2).</summary>
public sealed class DirectionTests
{
    [Theory]
    [InlineData("20 02 00 00", MqttDecoderRole.Server)] // CONNACK
    [InlineData("90 03 00 01 00", MqttDecoderRole.Server)] // SUBACK
    [InlineData("B0 02 00 01", MqttDecoderRole.Server)] // UNSUBACK
    [InlineData("D0 00", MqttDecoderRole.Server)] // PINGRESP
    [InlineData("C0 00", MqttDecoderRole.Client)] // PINGREQ
    [InlineData("82 06 00 01 00 01 61 00", MqttDecoderRole.Client)] // SUBSCRIBE
    [InlineData("A2 05 00 01 00 01 61", MqttDecoderRole.Client)] // UNSUBSCRIBE
    public void A_packet_sent_in_the_wrong_direction_is_a_protocol_error(string hex, MqttDecoderRole role)
    {
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(MqttProtocolVersion.V311, role: role).TryDecode(Hex(hex), out _, out _));
        Assert.Equal(ReasonCode.ProtocolError, error.Reason);
        Assert.True(new MqttDecoder(MqttProtocolVersion.V311).TryDecode(Hex(hex), out _, out _));
    }

    [Fact]
    public void A_client_may_not_send_a_subscription_identifier_in_publish()
    {
        var bytes = Frame(0x30, Str("a") + "02 0B 05");
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(MqttProtocolVersion.V500, role: MqttDecoderRole.Server).TryDecode(bytes, out _, out _));
        Assert.Equal(ReasonCode.ProtocolError, error.Reason);
        Assert.True(new MqttDecoder(MqttProtocolVersion.V500, role: MqttDecoderRole.Client).TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void A_client_may_not_receive_connect()
    {
        var bytes = Frame(0x10, Str("MQTT") + "04 02 003C" + Str("c"));
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(role: MqttDecoderRole.Client).TryDecode(bytes, out _, out _));
        Assert.Equal(ReasonCode.ProtocolError, error.Reason);
    }
}
