using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Fuzzing;

/// <summary>Seeds: every sample packet alone, plus whole sessions (CONNECT then the rest) per version.</summary>
internal static class FuzzSeeds
{
    public static byte[][] Build()
    {
        var seeds = new List<byte[]>();
        foreach (var (_, version, packet) in SamplePackets.All())
        {
            seeds.Add(Wire.Encode(packet, version));
        }

        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
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

            seeds.Add([.. session]);
        }

        return [.. seeds];
    }
}
