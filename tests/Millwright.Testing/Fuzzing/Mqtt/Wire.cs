using System.Buffers;
using Millwright.Mqtt;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>Byte helpers shared by the tests and the fuzz program.</summary>
internal static class Wire
{
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttEncoder.Encode(packet, version, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>"30 05 00 03 61" → bytes; spaces and dashes are ignored.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));

    /// <summary>A packet from its fixed header byte and body, with the remaining length computed.</summary>
    public static byte[] Frame(byte header, string bodyHex)
    {
        var body = Hex(bodyHex);
        var bytes = new List<byte> { header };
        var length = body.Length;
        do
        {
            var b = (byte)(length & 0x7F);
            length >>= 7;
            bytes.Add(length != 0 ? (byte)(b | 0x80) : b);
        }
        while (length != 0);
        bytes.AddRange(body);
        return [.. bytes];
    }

    /// <summary>An MQTT string (two-byte length, UTF-8) as hex, for writing packets by hand.</summary>
    public static string Str(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return $"{bytes.Length:X4}{Convert.ToHexString(bytes)}";
    }

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Two segments cut at <paramref name="cut"/>; one segment when the cut is at an end.</summary>
    public static ReadOnlySequence<byte> SplitInTwo(ReadOnlySpan<byte> bytes, int cut)
    {
        if (cut <= 0 || cut >= bytes.Length)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }

        var first = new BufferSegment(bytes[..cut].ToArray(), 0);
        var last = first.Append(bytes[cut..].ToArray());
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>A ReadOnlySequence over the bytes cut at the given offsets, to test frames split across segments.</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        var length = bytes.Length;
        var points = cuts.Where(c => c > 0 && c < length).Distinct().Order().Append(bytes.Length).ToArray();
        if (points.Length == 1)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }

        BufferSegment? first = null;
        BufferSegment? last = null;
        var start = 0;
        foreach (var end in points)
        {
            var chunk = bytes[start..end].ToArray();
            last = last is null ? (first = new BufferSegment(chunk, 0)) : last.Append(chunk);
            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }
}
