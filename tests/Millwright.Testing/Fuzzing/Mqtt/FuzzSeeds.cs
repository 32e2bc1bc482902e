using Millwright.Mqtt;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>
/// Seeds: every sample packet alone, whole sessions (CONNECT then the rest) per version, and 500 random valid
/// packets for combinations of properties and options the samples do not have.
/// </summary>
internal static class FuzzSeeds
{
    public static byte[][] Build()
    {
        var seeds = new List<byte[]>();
        foreach (var (_, version, packet) in SamplePackets.All())
        {
            seeds.Add(Wire.Encode(packet, version));
        }

        seeds.Add(Session(MqttProtocolVersion.V311));
        seeds.Add(Session(MqttProtocolVersion.V500));
        var random = new RandomPackets(seed: 1);
        while (seeds.Count < 560)
        {
            var (packet, version) = random.Next();
            var bytes = Wire.Encode(packet, version);

            // Small seeds keep mutations near the structure; CONNECT seeds only work for the pre-CONNECT decoder.
            if (bytes.Length <= 1024)
            {
                seeds.Add(bytes);
            }
        }

        return [.. seeds];
    }

    /// <summary>One CONNECT, then every other sample of the version, as one byte stream.</summary>
    public static byte[] Session(MqttProtocolVersion version)
    {
        var session = new List<byte>();
        foreach (var (_, packet) in SamplePackets.ForVersion(version))
        {
            // A session has one CONNECT, first; a second CONNECT is a protocol error.
            if (packet is ConnectPacket && session.Count > 0)
            {
                continue;
            }

            session.AddRange(Wire.Encode(packet, version));
        }

        return [.. session];
    }
}
