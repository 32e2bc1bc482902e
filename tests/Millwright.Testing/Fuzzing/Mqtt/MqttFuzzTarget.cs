using System.Buffers;
using Millwright.Mqtt;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>
/// Runs one fuzz input through the decoder as a server before CONNECT, as 3.1.1 and as 5.0, and once more
/// split across buffer segments with a small maximum packet size. The decoder may only return packets, ask
/// for more bytes or throw <see cref="MqttProtocolException"/>. Every packet it returns must re-encode to
/// bytes that decode to a packet encoding the same way (encode ∘ decode is stable), and the split run must
/// see exactly what the whole run saw. Anything else escapes as an exception: a crash.
/// </summary>
internal static class MqttFuzzTarget
{
    // Per thread, so the long run can fuzz on every core without allocating writers per packet.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _first;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _second;

    private static readonly MqttProtocolVersion[] Versions = [MqttProtocolVersion.Unknown, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    public static void Run(ReadOnlySpan<byte> input, FuzzStats stats, int variant)
    {
        stats.Cases++;
        var split = input.Length == 0 ? 0 : variant % input.Length;
        foreach (var version in Versions)
        {
            // Before CONNECT the decoder is a server's; after, any role, so that every packet type is reached.
            var role = version == MqttProtocolVersion.Unknown ? MqttDecoderRole.Server : MqttDecoderRole.Any;
            var whole = DecodeSpan(input, new MqttDecoder(version, role: role), stats);

            // The same bytes cut across two segments must give the same packets and the same end.
            if (version == Versions[variant % 3])
            {
                var cut = DecodeSequence(input, new MqttDecoder(version, role: role), split, stats);
                if (cut != whole)
                {
                    throw new InvalidOperationException($"Decoding differs when the input is split at {split}.");
                }
            }
        }

        DecodeSequence(input, new MqttDecoder(Versions[variant % 3], 64 + (variant % 512), (MqttDecoderRole)(variant / 3 % 3)), split, stats);
    }

    /// <summary>Decodes to the end; returns a trace of what happened (packets as re-encoded, then the outcome).</summary>
    private static ulong DecodeSpan(ReadOnlySpan<byte> input, MqttDecoder decoder, FuzzStats stats)
    {
        var trace = Fnv.Offset;
        try
        {
            while (decoder.TryDecode(input, out var packet, out var consumed))
            {
                if (consumed < 2 || consumed > input.Length)
                {
                    throw new InvalidOperationException($"Decoder consumed {consumed} of {input.Length} bytes.");
                }

                trace = Fnv.Add(trace, Accept(packet, decoder.Version, stats));
                input = input[consumed..];
            }

            stats.NeedMore++;
            return Fnv.Add(trace, 0x1_0000 + input.Length);
        }
        catch (MqttProtocolException e)
        {
            stats.Rejected++;
            stats.ByReason[(byte)e.Reason]++;
            return Fnv.Add(trace, 0x2_0000 + (int)e.Reason);
        }
    }

    private static ulong DecodeSequence(ReadOnlySpan<byte> input, MqttDecoder decoder, int split, FuzzStats stats)
    {
        var trace = Fnv.Offset;
        var sequence = Wire.SplitInTwo(input, split);
        try
        {
            while (decoder.TryDecode(ref sequence, out var packet))
            {
                trace = Fnv.Add(trace, Accept(packet, decoder.Version, stats));
            }

            stats.NeedMore++;
            return Fnv.Add(trace, 0x1_0000 + (int)sequence.Length);
        }
        catch (MqttProtocolException e)
        {
            stats.Rejected++;
            stats.ByReason[(byte)e.Reason]++;
            return Fnv.Add(trace, 0x2_0000 + (int)e.Reason);
        }
    }

    /// <summary>Checks the round trip of a decoded packet and returns the hash of its encoding.</summary>
    private static ulong Accept(MqttPacket packet, MqttProtocolVersion version, FuzzStats stats)
    {
        stats.Packets++;
        stats.ByPacketType[(int)packet.Type]++;
        var first = _first ??= new ArrayBufferWriter<byte>();
        var second = _second ??= new ArrayBufferWriter<byte>();
        first.ResetWrittenCount();
        second.ResetWrittenCount();
        try
        {
            MqttEncoder.Encode(packet, version, first);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Encoder refused a packet the decoder accepted: {e.Message}", e);
        }

        var decoder = new MqttDecoder(packet is ConnectPacket ? MqttProtocolVersion.Unknown : version);
        MqttPacket? again;
        int consumed;
        try
        {
            if (!decoder.TryDecode(first.WrittenSpan, out again, out consumed))
            {
                throw new InvalidOperationException("Re-encoded packet is incomplete.");
            }
        }
        catch (MqttProtocolException e)
        {
            throw new InvalidOperationException($"Re-encoded {packet.Type} does not decode: {e.Message}", e);
        }

        if (consumed != first.WrittenCount)
        {
            throw new InvalidOperationException($"Re-encoded {packet.Type} decodes from {consumed} of {first.WrittenCount} bytes.");
        }

        MqttEncoder.Encode(again, version, second);
        if (!first.WrittenSpan.SequenceEqual(second.WrittenSpan))
        {
            throw new InvalidOperationException($"{packet.Type} encodes differently after a round trip: {Wire.ToHex(first.WrittenSpan)} vs {Wire.ToHex(second.WrittenSpan)}.");
        }

        return Fnv.Hash(first.WrittenSpan);
    }
}
