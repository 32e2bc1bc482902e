using System.Buffers;
using System.Numerics;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// A compressed run of one series' points (docs/timeseries-chunk.md): delta-of-delta timestamps and
/// XOR-encoded doubles after Gorilla (Pelkonen et al., VLDB 2015), with millisecond timestamps and wider
/// buckets because machines do not report on a fixed second grid. Version 1:
/// <code>
/// byte    version (1)
/// varint  point count n (1..MaxPoints)
/// varint  first timestamp, zigzag, Unix ms
/// varint  first delta (n > 1), positive
/// bits    first value (64 raw bits), then per point: [timestamp delta-of-delta if i >= 2] value xor
/// </code>
/// Timestamps strictly increase (the store keeps one point per series and time). Values keep every bit,
/// NaN payloads included.
/// </summary>
public static class TimeSeriesChunk
{
    public const byte Version = 1;
    public const int MaxPoints = 1 << 20;

    public static byte[] Encode(ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values)
    {
        if (timestamps.Length != values.Length || timestamps.Length is 0 or > MaxPoints)
        {
            throw new ArgumentException($"a chunk holds 1 to {MaxPoints} points, with one value per timestamp");
        }

        var header = new ArrayBufferWriter<byte>(32);
        header.Write([Version]);
        WriteVarint(header, (ulong)timestamps.Length);
        WriteVarint(header, ZigZag(timestamps[0]));
        var bits = new BitWriter();
        bits.Write(BitConverter.DoubleToUInt64Bits(values[0]), 64);

        long previousDelta = 0;
        var previousValue = BitConverter.DoubleToUInt64Bits(values[0]);
        int windowLeading = -1, windowLength = 0;
        for (var i = 1; i < timestamps.Length; i++)
        {
            var delta = checked(timestamps[i] - timestamps[i - 1]);
            if (delta <= 0)
            {
                throw new ArgumentException($"timestamps must strictly increase (point {i})");
            }

            if (i == 1)
            {
                WriteVarint(header, (ulong)delta);
            }
            else
            {
                WriteDeltaOfDelta(bits, delta - previousDelta);
            }

            previousDelta = delta;
            var value = BitConverter.DoubleToUInt64Bits(values[i]);
            var xor = value ^ previousValue;
            previousValue = value;
            if (xor == 0)
            {
                bits.WriteBit(false);
                continue;
            }

            bits.WriteBit(true);
            var leading = BitOperations.LeadingZeroCount(xor);
            var trailing = BitOperations.TrailingZeroCount(xor);
            if (windowLeading >= 0 && leading >= windowLeading && trailing >= 64 - windowLeading - windowLength)
            {
                // The meaningful bits fit in the previous window: send only them.
                bits.WriteBit(false);
                bits.Write(xor >> (64 - windowLeading - windowLength), windowLength);
            }
            else
            {
                windowLeading = leading;
                windowLength = 64 - leading - trailing;
                bits.WriteBit(true);
                bits.Write((ulong)windowLeading, 6);
                bits.Write((ulong)(windowLength - 1), 6);
                bits.Write(xor >> trailing, windowLength);
            }
        }

        var chunk = new byte[header.WrittenCount + bits.Bytes.Length];
        header.WrittenSpan.CopyTo(chunk);
        bits.Bytes.CopyTo(chunk.AsSpan(header.WrittenCount));
        return chunk;
    }

    /// <summary>Appends the chunk's points; throws <see cref="ChunkFormatException"/> and nothing else for bad bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> chunk, List<long> timestamps, List<double> values)
    {
        var position = 0;
        if (chunk.IsEmpty || chunk[position++] != Version)
        {
            throw new ChunkFormatException(chunk.IsEmpty ? "an empty chunk" : $"unknown chunk version {chunk[0]}");
        }

        var count = ReadVarint(chunk, ref position);
        if (count is 0 or > MaxPoints)
        {
            throw new ChunkFormatException($"a chunk holds 1 to {MaxPoints} points, not {count}");
        }

        var time = UnZigZag(ReadVarint(chunk, ref position));
        var delta = count > 1 ? (long)ReadVarint(chunk, ref position) : 0;
        if (count > 1 && delta <= 0)
        {
            throw new ChunkFormatException("the first delta must be positive");
        }

        var bits = new BitReader(chunk[position..]);
        var value = bits.Read(64);
        timestamps.Add(time);
        values.Add(BitConverter.UInt64BitsToDouble(value));
        int windowLeading = -1, windowLength = 0;
        try
        {
            for (var i = 1; i < (int)count; i++)
            {
                if (i > 1)
                {
                    delta = checked(delta + ReadDeltaOfDelta(ref bits));
                    if (delta <= 0)
                    {
                        throw new ChunkFormatException($"timestamps do not increase at point {i}");
                    }
                }

                time = checked(time + delta);
                if (bits.ReadBit())
                {
                    if (!bits.ReadBit())
                    {
                        if (windowLeading < 0)
                        {
                            throw new ChunkFormatException($"point {i} reuses a window no point has set");
                        }
                    }
                    else
                    {
                        windowLeading = (int)bits.Read(6);
                        windowLength = (int)bits.Read(6) + 1;
                        if (windowLeading + windowLength > 64)
                        {
                            throw new ChunkFormatException($"point {i} has a value window beyond 64 bits");
                        }
                    }

                    value ^= bits.Read(windowLength) << (64 - windowLeading - windowLength);
                }

                timestamps.Add(time);
                values.Add(BitConverter.UInt64BitsToDouble(value));
            }
        }
        catch (OverflowException)
        {
            throw new ChunkFormatException("a timestamp beyond the 64-bit range");
        }

        if (bits.Remaining >= 8)
        {
            throw new ChunkFormatException($"{bits.Remaining / 8} bytes after the last point");
        }

        return (int)count;
    }

    private static void WriteDeltaOfDelta(BitWriter bits, long dod)
    {
        switch (dod)
        {
            case 0:
                bits.WriteBit(false);
                break;
            case >= -64 and <= 63:
                bits.Write(0b10, 2);
                bits.Write((ulong)dod & 0x7F, 7);
                break;
            case >= -256 and <= 255:
                bits.Write(0b110, 3);
                bits.Write((ulong)dod & 0x1FF, 9);
                break;
            case >= -2048 and <= 2047:
                bits.Write(0b1110, 4);
                bits.Write((ulong)dod & 0xFFF, 12);
                break;
            case >= int.MinValue and <= int.MaxValue:
                bits.Write(0b11110, 5);
                bits.Write((ulong)dod & 0xFFFF_FFFF, 32);
                break;
            default:
                bits.Write(0b11111, 5);
                bits.Write((ulong)dod, 64);
                break;
        }
    }

    private static long ReadDeltaOfDelta(ref BitReader bits)
    {
        var prefix = 0;
        while (prefix < 5 && bits.ReadBit())
        {
            prefix++;
        }

        return prefix switch
        {
            0 => 0,
            1 => SignExtend(bits.Read(7), 7),
            2 => SignExtend(bits.Read(9), 9),
            3 => SignExtend(bits.Read(12), 12),
            4 => SignExtend(bits.Read(32), 32),
            _ => (long)bits.Read(64),
        };
    }

    private static long SignExtend(ulong value, int width) => (long)(value << (64 - width)) >> (64 - width);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }

        output.Write([(byte)value]);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= input.Length)
            {
                throw new ChunkFormatException("the chunk header is cut short");
            }

            var b = input[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ChunkFormatException("a header number longer than ten bytes");
    }
}
