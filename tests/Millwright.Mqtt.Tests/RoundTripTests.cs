using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Fuzzing;

namespace Millwright.Mqtt.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _, _) in SamplePackets.All())
        {
            data.Add(name);
        }

        return data;
    }

    private static (MqttProtocolVersion Version, MqttPacket Packet) Sample(string name)
    {
        var (_, version, packet) = SamplePackets.All().Single(s => s.Name == name);
        return (version, packet);
    }

    private static MqttDecoder DecoderFor(MqttPacket packet, MqttProtocolVersion version) =>
        new(packet is ConnectPacket ? MqttProtocolVersion.Unknown : version);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_packet_decodes_to_an_equal_packet_after_encoding(string name)
    {
        var (version, packet) = Sample(name);
        var bytes = Wire.Encode(packet, version);

        Assert.True(DecoderFor(packet, version).TryDecode(bytes, out var decoded, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(PacketDump.Dump(packet), PacketDump.Dump(decoded));
        Assert.Equal(bytes, Wire.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_packet_decodes_the_same_when_split_across_buffer_segments_anywhere(string name)
    {
        var (version, packet) = Sample(name);
        var bytes = Wire.Encode(packet, version);
        var expected = PacketDump.Dump(packet);

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var sequence = Wire.Split(bytes, cut);
            Assert.True(DecoderFor(packet, version).TryDecode(ref sequence, out var decoded));
            Assert.True(sequence.IsEmpty);
            Assert.Equal(expected, PacketDump.Dump(decoded));
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_strict_prefix_of_a_packet_asks_for_more_bytes(string name)
    {
        var (version, packet) = Sample(name);
        var bytes = Wire.Encode(packet, version);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(DecoderFor(packet, version).TryDecode(bytes.AsSpan(0, length), out _, out var consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Measured_size_equals_encoded_size(string name)
    {
        var (version, packet) = Sample(name);
        Assert.Equal(Wire.Encode(packet, version).Length, MqttEncoder.MeasureTotal(packet, version));
    }

    [Fact]
    public void Full_property_samples_cover_every_property_of_the_specification()
    {
        var targets = Enum.GetValues<PropertyTargets>().Where(t => t != PropertyTargets.None);
        foreach (var id in Enum.GetValues<PropertyId>())
        {
            Assert.Contains(targets, t => PropertyRules.IsAllowed(id, t));
        }

        Assert.Equal(27, Enum.GetValues<PropertyId>().Length);
    }

    [Fact]
    public void A_whole_session_decodes_packet_by_packet_and_takes_the_version_from_connect()
    {
        var stream = FuzzSeeds.Session(MqttProtocolVersion.V500);
        var decoder = new MqttDecoder();
        var sequence = Wire.Split(stream, 3, 50, 51, 200);
        var types = new List<PacketType>();
        while (decoder.TryDecode(ref sequence, out var packet))
        {
            types.Add(packet.Type);
        }

        Assert.True(sequence.IsEmpty);
        Assert.Equal(MqttProtocolVersion.V500, decoder.Version);
        Assert.Equal(PacketType.Connect, types[0]);
        Assert.Equal(SamplePackets.ForVersion(MqttProtocolVersion.V500).Count() - 1, types.Count);
    }

    [Fact]
    public void A_3_1_1_connack_carries_the_return_code_that_matches_the_reason()
    {
        var bytes = Wire.Encode(new ConnAckPacket { ReasonCode = ReasonCode.Banned }, MqttProtocolVersion.V311);
        Assert.Equal(Wire.Hex("20 02 00 05"), bytes);
    }

    [Fact]
    public void A_3_1_1_suback_writes_any_refusal_as_0x80()
    {
        var bytes = Wire.Encode(new SubAckPacket { PacketId = 1, ReasonCodes = [ReasonCode.NotAuthorized, ReasonCode.GrantedQoS2] }, MqttProtocolVersion.V311);
        Assert.Equal(Wire.Hex("90 04 00 01 80 02"), bytes);
    }

    [Fact]
    public void Encoding_a_property_the_packet_may_not_carry_is_refused()
    {
        var packet = new PublishPacket { Topic = "a", Properties = new MqttProperties { SessionExpiryInterval = 1 } };
        Assert.Throws<ArgumentException>(() => Wire.Encode(packet, MqttProtocolVersion.V500));
    }
}
