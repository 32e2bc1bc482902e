using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Fuzzing;

namespace Millwright.Mqtt.Tests;

public sealed class RandomRoundTripTests
{
    [Fact]
    public void Random_valid_packets_of_every_type_decode_to_equal_packets()
    {
        var packets = new RandomPackets(seed: 311_500);
        var types = new HashSet<PacketType>();
        for (var i = 0; i < 20_000; i++)
        {
            var (packet, version) = packets.Next();
            var bytes = Wire.Encode(packet, version);
            var decoder = new MqttDecoder(packet is ConnectPacket ? MqttProtocolVersion.Unknown : version);

            Assert.True(decoder.TryDecode(bytes, out var decoded, out var consumed), $"case {i}: {PacketDump.Dump(packet)}");
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(PacketDump.Dump(packet), PacketDump.Dump(decoded));
            types.Add(decoded.Type);
        }

        Assert.Equal(15, types.Count);
    }
}
