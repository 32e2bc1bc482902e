using Millwright.Mqtt.Codec;
using Millwright.Fuzzing;
using static Millwright.Fuzzing.Wire;

namespace Millwright.Mqtt.Tests;

/// <summary>Each MUST of the specification that the decoder enforces, with the reason code it reports.</summary>
public sealed class MalformedPacketTests
{
    private const MqttProtocolVersion Unknown = MqttProtocolVersion.Unknown;
    private const MqttProtocolVersion V4 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private static readonly Dictionary<string, (MqttProtocolVersion Version, byte[] Bytes, ReasonCode Reason)> Cases = new()
    {
        // Fixed header (2.1)
        ["reserved packet type 0"] = (V4, Hex("00 00"), ReasonCode.MalformedPacket),
        ["packet type 15 (AUTH) in 3.1.1"] = (V4, Hex("F0 00"), ReasonCode.MalformedPacket),
        ["PUBLISH with QoS 3"] = (V4, Frame(0x36, Str("a") + "0001"), ReasonCode.MalformedPacket),
        ["PUBLISH with DUP at QoS 0"] = (V4, Frame(0x38, Str("a")), ReasonCode.MalformedPacket),
        ["PUBREL with flags 0000"] = (V4, Frame(0x60, "0001"), ReasonCode.MalformedPacket),
        ["SUBSCRIBE with flags 0000"] = (V4, Frame(0x80, "0001" + Str("a") + "00"), ReasonCode.MalformedPacket),
        ["UNSUBSCRIBE with flags 0011"] = (V4, Frame(0xA3, "0001" + Str("a")), ReasonCode.MalformedPacket),
        ["PINGREQ with a flag set"] = (V4, Hex("C1 00"), ReasonCode.MalformedPacket),
        ["CONNACK with a flag set"] = (V4, Hex("28 02 00 00"), ReasonCode.MalformedPacket),
        ["remaining length of five bytes"] = (V4, Hex("30 FF FF FF FF 7F"), ReasonCode.MalformedPacket),
        ["remaining length not minimally encoded"] = (V4, Hex("C0 80 00"), ReasonCode.MalformedPacket),

        // Remaining length exactly consumed (2.1.4)
        ["PINGREQ with a body"] = (V4, Hex("C0 01 00"), ReasonCode.MalformedPacket),
        ["3.1.1 PUBACK with an extra byte"] = (V4, Hex("40 03 00 01 00"), ReasonCode.MalformedPacket),
        ["PUBACK shorter than its packet identifier"] = (V4, Hex("40 01 00"), ReasonCode.MalformedPacket),
        ["topic string longer than the packet"] = (V4, Hex("30 03 00 05 61"), ReasonCode.MalformedPacket),
        ["5.0 property length past the end"] = (V5, Frame(0x30, Str("a") + "05 0101"), ReasonCode.MalformedPacket),
        ["3.1.1 DISCONNECT with a reason code"] = (V4, Hex("E0 01 00"), ReasonCode.MalformedPacket),

        // UTF-8 strings (1.5.4)
        ["topic with ill-formed UTF-8"] = (V4, Frame(0x30, "0002 C328"), ReasonCode.MalformedPacket),
        ["topic with U+0000"] = (V4, Frame(0x30, "0003 610062"), ReasonCode.MalformedPacket),
        ["topic with an encoded surrogate"] = (V4, Frame(0x30, "0003 EDA080"), ReasonCode.MalformedPacket),
        ["topic with an overlong encoding"] = (V4, Frame(0x30, "0002 C0AF"), ReasonCode.MalformedPacket),
        ["topic beyond U+10FFFF"] = (V4, Frame(0x30, "0004 F4908080"), ReasonCode.MalformedPacket),
        ["user property with U+0000"] = (V5, Frame(0x30, Str("a") + "08 26 0001 00 0002 6162"), ReasonCode.MalformedPacket),

        // Topic names (3.3.2.1, 4.7)
        ["PUBLISH topic with +"] = (V4, Frame(0x30, Str("a/+")), ReasonCode.TopicNameInvalid),
        ["PUBLISH topic with #"] = (V5, Frame(0x30, Str("a/#") + "00"), ReasonCode.TopicNameInvalid),
        ["3.1.1 PUBLISH with an empty topic"] = (V4, Frame(0x30, "0000"), ReasonCode.TopicNameInvalid),
        ["5.0 PUBLISH with an empty topic and no alias"] = (V5, Frame(0x30, "0000 00"), ReasonCode.ProtocolError),
        ["will topic with a wildcard"] = (Unknown, Frame(0x10, Str("MQTT") + "04 06 003C" + Str("c") + Str("a/#") + "0000"), ReasonCode.TopicNameInvalid),

        // Packet identifiers (2.2.1)
        ["QoS 1 PUBLISH with packet identifier 0"] = (V4, Frame(0x32, Str("a") + "0000"), ReasonCode.ProtocolError),
        ["PUBACK with packet identifier 0"] = (V5, Hex("40 02 00 00"), ReasonCode.ProtocolError),
        ["SUBSCRIBE with packet identifier 0"] = (V4, Frame(0x82, "0000" + Str("a") + "00"), ReasonCode.ProtocolError),
        ["UNSUBACK with packet identifier 0"] = (V4, Hex("B0 02 00 00"), ReasonCode.ProtocolError),

        // SUBSCRIBE and UNSUBSCRIBE (3.8, 3.10, 4.7.1, 4.8.2)
        ["SUBSCRIBE without filters"] = (V4, Frame(0x82, "0001"), ReasonCode.ProtocolError),
        ["5.0 SUBSCRIBE without filters"] = (V5, Frame(0x82, "0001 00"), ReasonCode.ProtocolError),
        ["3.1.1 subscription options with a reserved bit"] = (V4, Frame(0x82, "0001" + Str("a") + "04"), ReasonCode.MalformedPacket),
        ["5.0 subscription options with a reserved bit"] = (V5, Frame(0x82, "0001 00" + Str("a") + "40"), ReasonCode.MalformedPacket),
        ["subscription with QoS 3"] = (V5, Frame(0x82, "0001 00" + Str("a") + "03"), ReasonCode.MalformedPacket),
        ["subscription with retain handling 3"] = (V5, Frame(0x82, "0001 00" + Str("a") + "30"), ReasonCode.ProtocolError),
        ["filter with # not last"] = (V4, Frame(0x82, "0001" + Str("a/#/b") + "00"), ReasonCode.TopicFilterInvalid),
        ["filter with # sharing its level"] = (V4, Frame(0x82, "0001" + Str("a/b#") + "00"), ReasonCode.TopicFilterInvalid),
        ["filter with + sharing its level"] = (V4, Frame(0x82, "0001" + Str("a/+b") + "00"), ReasonCode.TopicFilterInvalid),
        ["empty filter"] = (V4, Frame(0x82, "0001 0000 00"), ReasonCode.TopicFilterInvalid),
        ["shared subscription without a filter"] = (V5, Frame(0x82, "0001 00" + Str("$share/g") + "00"), ReasonCode.TopicFilterInvalid),
        ["shared subscription with a wildcard share name"] = (V5, Frame(0x82, "0001 00" + Str("$share/g+/a") + "00"), ReasonCode.TopicFilterInvalid),
        ["shared subscription with No Local"] = (V5, Frame(0x82, "0001 00" + Str("$share/g/a") + "04"), ReasonCode.ProtocolError),
        ["UNSUBSCRIBE without filters"] = (V4, Frame(0xA2, "0001"), ReasonCode.ProtocolError),
        ["UNSUBSCRIBE with an invalid filter"] = (V5, Frame(0xA2, "0001 00" + Str("#/a")), ReasonCode.TopicFilterInvalid),

        // CONNECT (3.1)
        ["packet before CONNECT"] = (Unknown, Hex("C0 00"), ReasonCode.ProtocolError),
        ["second CONNECT"] = (V4, Frame(0x10, Str("MQTT") + "04 02 003C" + Str("c")), ReasonCode.ProtocolError),
        ["protocol name other than MQTT"] = (Unknown, Frame(0x10, Str("MQTX") + "04 02 003C" + Str("c")), ReasonCode.ProtocolError),
        ["MQTT 3.1 (MQIsdp)"] = (Unknown, Frame(0x10, Str("MQIsdp") + "03 02 003C" + Str("c")), ReasonCode.UnsupportedProtocolVersion),
        ["protocol level 3"] = (Unknown, Frame(0x10, Str("MQTT") + "03 02 003C" + Str("c")), ReasonCode.UnsupportedProtocolVersion),
        ["protocol level 6"] = (Unknown, Frame(0x10, Str("MQTT") + "06 02 003C 00" + Str("c")), ReasonCode.UnsupportedProtocolVersion),
        ["CONNECT reserved flag"] = (Unknown, Frame(0x10, Str("MQTT") + "04 03 003C" + Str("c")), ReasonCode.MalformedPacket),
        ["will QoS without will flag"] = (Unknown, Frame(0x10, Str("MQTT") + "04 0A 003C" + Str("c")), ReasonCode.MalformedPacket),
        ["will retain without will flag"] = (Unknown, Frame(0x10, Str("MQTT") + "05 22 003C 00" + Str("c")), ReasonCode.MalformedPacket),
        ["will QoS 3"] = (Unknown, Frame(0x10, Str("MQTT") + "04 1E 003C" + Str("c") + Str("w") + "0000"), ReasonCode.MalformedPacket),
        ["3.1.1 password without user name"] = (Unknown, Frame(0x10, Str("MQTT") + "04 42 003C" + Str("c") + "0001 70"), ReasonCode.MalformedPacket),
        ["3.1.1 empty client id without clean session"] = (Unknown, Frame(0x10, Str("MQTT") + "04 00 003C 0000"), ReasonCode.ClientIdentifierNotValid),
        ["CONNECT cut inside the client id"] = (Unknown, Frame(0x10, Str("MQTT") + "04 02 003C 0005 61"), ReasonCode.MalformedPacket),
        ["authentication data without method"] = (Unknown, Frame(0x10, Str("MQTT") + "05 02 003C 04 16 0001 AA" + Str("c")), ReasonCode.ProtocolError),

        // Reason codes (3.2.2.2, 3.4.2.1 and the other tables)
        ["3.1.1 CONNACK return code 6"] = (V4, Hex("20 02 00 06"), ReasonCode.MalformedPacket),
        ["3.1.1 CONNACK refusal with session present"] = (V4, Hex("20 02 01 05"), ReasonCode.ProtocolError),
        ["5.0 CONNACK refusal with session present"] = (V5, Hex("20 03 01 87 00"), ReasonCode.ProtocolError),
        ["3.1.1 SUBACK return code 3"] = (V4, Hex("90 03 00 01 03"), ReasonCode.MalformedPacket),
        ["PUBACK with a SUBACK reason code"] = (V5, Hex("40 03 00 01 01"), ReasonCode.MalformedPacket),
        ["PUBREL with reason 0x10"] = (V5, Hex("62 03 00 01 10"), ReasonCode.MalformedPacket),
        ["AUTH continuing without a method"] = (V5, Hex("F0 02 18 00"), ReasonCode.ProtocolError),
        ["SUBACK without reason codes"] = (V5, Hex("90 03 00 01 00"), ReasonCode.ProtocolError),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_violation_is_refused_with_its_reason_code(string name)
    {
        var (version, bytes, reason) = Cases[name];
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(version).TryDecode(bytes, out _, out _));
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_violation_is_refused_the_same_way_when_split_across_segments(string name)
    {
        var (version, bytes, reason) = Cases[name];
        var sequence = Split(bytes, 1, bytes.Length / 2);
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(version).TryDecode(ref sequence, out _));
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_packet_over_the_maximum_size_is_refused_from_its_header_alone()
    {
        // Only the fixed header has arrived: the length alone already exceeds the limit.
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(V5, maximumPacketSize: 100).TryDecode(Hex("30 E4 01"), out _, out _));
        Assert.Equal(ReasonCode.PacketTooLarge, error.Reason);
    }

    [Fact]
    public void A_packet_of_exactly_the_maximum_size_is_accepted()
    {
        var bytes = Frame(0x30, Str("a") + "00" + new string('A', 2 * 94));
        Assert.Equal(100, bytes.Length);
        Assert.True(new MqttDecoder(V5, maximumPacketSize: 100).TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void A_refused_connect_still_tells_which_version_to_answer_in()
    {
        var decoder = new MqttDecoder();
        var bytes = Frame(0x10, Str("MQTT") + "04 00 003C 0000");
        Assert.Throws<MqttProtocolException>(() => decoder.TryDecode(bytes, out _, out _));
        Assert.Equal(V4, decoder.Version);
    }

    [Fact]
    public void A_5_0_password_without_user_name_is_accepted()
    {
        var bytes = Frame(0x10, Str("MQTT") + "05 42 003C 00" + Str("c") + "0001 70");
        Assert.True(new MqttDecoder().TryDecode(bytes, out var packet, out _));
        Assert.Null(((Packets.ConnectPacket)packet).UserName);
    }

    [Fact]
    public void Only_the_protocol_exception_escapes_for_bytes_that_break_the_rules()
    {
        foreach (var (version, bytes, _) in Cases.Values)
        {
            try
            {
                new MqttDecoder(version).TryDecode(bytes, out _, out _);
            }
            catch (MqttProtocolException)
            {
            }
        }

        Assert.NotEmpty(Cases);
    }
}
