using Millwright.Mqtt;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>What the decoders did with the fuzz cases; shows the fuzzer reaches past the fixed header.</summary>
internal sealed class FuzzStats
{
    public long Cases { get; set; }
    public long Packets { get; set; }
    public long NeedMore { get; set; }
    public long Rejected { get; set; }
    public long[] ByReason { get; } = new long[256];
    public long[] ByPacketType { get; } = new long[16];

    public string Summary()
    {
        var reasons = string.Join(", ", Enumerable.Range(0, 256).Where(i => ByReason[i] > 0).Select(i => $"0x{i:X2}={ByReason[i]}"));
        var types = string.Join(", ", Enumerable.Range(1, 15).Where(i => ByPacketType[i] > 0).Select(i => $"{(PacketType)i}={ByPacketType[i]}"));
        return $"cases {Cases}, packets {Packets}, need-more {NeedMore}, rejected {Rejected}; reasons: {reasons}; packets: {types}";
    }
}
