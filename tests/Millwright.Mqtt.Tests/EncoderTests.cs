using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Fuzzing;

namespace Millwright.Mqtt.Tests;

/// <summary>What the encoder refuses to put on the wire, and the 3.1.1 mappings it applies.</summary>
public sealed class EncoderTests
{
    public static TheoryData<string> ForbiddenNames() => [.. Forbidden.Keys];

    private static readonly Dictionary<string, (MqttPacket Packet, MqttProtocolVersion Version)> Forbidden = new()
    {
        ["QoS 1 PUBLISH without packet identifier"] = (new PublishPacket { Topic = "a", QoS = QualityOfService.AtLeastOnce }, MqttProtocolVersion.V311),
        ["PUBLISH with QoS 3"] = (new PublishPacket { Topic = "a", QoS = (QualityOfService)3, PacketId = 1 }, MqttProtocolVersion.V500),
        ["AUTH in 3.1.1"] = (new AuthPacket(), MqttProtocolVersion.V311),
        ["3.1.1 password without user name"] = (new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, Password = new byte[] { 1 } }, MqttProtocolVersion.V311),
        ["refused CONNACK with session present"] = (new ConnAckPacket { SessionPresent = true, ReasonCode = ReasonCode.NotAuthorized }, MqttProtocolVersion.V500),
        ["topic over 65,535 bytes"] = (new PublishPacket { Topic = new string('a', 65_536) }, MqttProtocolVersion.V311),
        ["two subscription identifiers in SUBSCRIBE"] = (new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new Subscription("a", QualityOfService.AtMostOnce)],
            Properties = new MqttProperties { SubscriptionIdentifiers = [1, 2] },
        }, MqttProtocolVersion.V500),
        ["will delay in the CONNECT properties"] = (new ConnectPacket { Properties = new MqttProperties { WillDelayInterval = 5 } }, MqttProtocolVersion.V500),
        ["version unknown"] = (PingReqPacket.Instance, MqttProtocolVersion.Unknown),
    };

    [Theory]
    [MemberData(nameof(ForbiddenNames))]
    public void A_packet_the_specification_forbids_to_send_is_refused(string name)
    {
        var (packet, version) = Forbidden[name];
        Assert.Throws<ArgumentException>(() => Wire.Encode(packet, version));
    }

    [Theory]
    [InlineData(ReasonCode.Success, ConnectReturnCode.Accepted)]
    [InlineData(ReasonCode.UnsupportedProtocolVersion, ConnectReturnCode.UnacceptableProtocolVersion)]
    [InlineData(ReasonCode.ClientIdentifierNotValid, ConnectReturnCode.IdentifierRejected)]
    [InlineData(ReasonCode.BadUserNameOrPassword, ConnectReturnCode.BadUserNameOrPassword)]
    [InlineData(ReasonCode.NotAuthorized, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.Banned, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.ServerBusy, ConnectReturnCode.ServerUnavailable)]
    [InlineData(ReasonCode.QuotaExceeded, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.ConnectionRateExceeded, ConnectReturnCode.NotAuthorized)]
    public void Connack_reason_codes_map_onto_3_1_1_return_codes(ReasonCode reason, ConnectReturnCode code)
    {
        Assert.Equal(code, ConnectReturnCodes.FromReasonCode(reason));
    }

    [Fact]
    public void The_3_1_1_encoding_leaves_out_5_0_fields()
    {
        var packet = new PubAckPacket { PacketId = 9, ReasonCode = ReasonCode.QuotaExceeded, Properties = new MqttProperties { ReasonString = "full" } };
        Assert.Equal(Wire.Hex("40 02 00 09"), Wire.Encode(packet, MqttProtocolVersion.V311));
        Assert.Equal(Wire.Hex("e0 00"), Wire.Encode(new DisconnectPacket { ReasonCode = ReasonCode.ServerBusy }, MqttProtocolVersion.V311));
    }

    [Fact]
    public void A_connect_is_written_in_its_own_version_whatever_the_connection_version()
    {
        var bytes = Wire.Encode(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "c" }, MqttProtocolVersion.V500);
        Assert.Equal(Wire.Frame(0x10, Wire.Str("MQTT") + "04 02 0000" + Wire.Str("c")), bytes);
    }

    [Fact]
    public void The_decoder_refuses_an_unknown_version_or_a_tiny_maximum_packet_size()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MqttDecoder((MqttProtocolVersion)3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MqttDecoder(maximumPacketSize: 1));
    }
}
