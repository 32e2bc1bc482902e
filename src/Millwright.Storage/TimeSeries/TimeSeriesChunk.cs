using System.Buffers;
using System.Runtime.InteropServices;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// A compressed run of one series' points, format version 2 (docs/timeseries-chunk.md):
/// <code>
/// byte    version (2)
/// byte    encoding: 1 = XOR doubles, 2 = decimal doubles, 3 = text
/// varint  point count n (1..MaxPoints)
/// bytes   timestamps, Unix ms (ChunkTimestamps), padded to a byte
/// bytes   values, laid out by the encoding (XorValues, DecimalValues, TextValues), padded to a byte
/// </code>
/// Timestamps strictly increase (the store keeps one point per series and time). Numbers keep every bit:
/// the encoder writes both number encodings that apply and keeps the smaller.
/// </summary>
public static class TimeSeriesChunk
{
    public const byte Version = 2;
    public const int MaxPoints = 1 << 20;

    /// <summary>The most distinct strings one text chunk holds.</summary>
    public const int MaxTextEntries = 1 << 16;

    /// <summary>The longest text value, in bytes of UTF-8.</summary>
    public const int MaxTextBytes = 4096;

    private const byte XorEncoding = 1;
    private const byte DecimalEncoding = 2;
    private const byte TextEncoding = 3;

    /// <summary>Numbers (booleans as 0 and 1): every double comes back bit for bit.</summary>
    public static byte[] Encode(ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values)
    {
        CheckShape(timestamps.Length, values.Length);
        var header = Header(timestamps);
        var decimals = DecimalValues.TryEncode(values);

        // XOR spends 64 bits on the first value and at least one on each other: no need to try it when the
        // decimal section is already that small (runs, counters, flags).
        if (decimals is not null && decimals.Length <= 8 + ((values.Length - 1) / 8))
        {
            return Assemble(header, DecimalEncoding, decimals);
        }

        var xor = new BitWriter(values.Length);
        XorValues.Write(xor, values);
        var xorBytes = xor.Finish();
        return decimals is not null && decimals.Length <= xorBytes.Length
            ? Assemble(header, DecimalEncoding, decimals)
            : Assemble(header, XorEncoding, xorBytes);
    }

    /// <summary>Text values; null and strings that are not valid UTF-16 are refused.</summary>
    public static byte[] EncodeText(ReadOnlySpan<long> timestamps, ReadOnlySpan<string> values)
    {
        CheckShape(timestamps.Length, values.Length);
        return Assemble(Header(timestamps), TextEncoding, TextValues.Encode(values));
    }

    /// <summary>
    /// Appends a numeric chunk's points and returns their count. Throws <see cref="ChunkFormatException"/> and
    /// nothing else for bad bytes or a text chunk; the lists are then as they were.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> chunk, List<long> timestamps, List<double> values)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        var (encoding, count, position) = ReadHeader(chunk);
        if (encoding == TextEncoding)
        {
            throw new ChunkFormatException("a text chunk: read it with DecodeText");
        }

        int oldTimes = timestamps.Count, oldValues = values.Count;
        CollectionsMarshal.SetCount(timestamps, oldTimes + count);
        CollectionsMarshal.SetCount(values, oldValues + count);
        try
        {
            ChunkTimestamps.Read(chunk, ref position, CollectionsMarshal.AsSpan(timestamps)[oldTimes..]);
            var section = chunk[position..];
            var destination = CollectionsMarshal.AsSpan(values)[oldValues..];
            if (encoding == XorEncoding)
            {
                var bits = new BitReader(section);
                XorValues.Read(ref bits, destination);
                EnsureEnd(bits);
            }
            else
            {
                DecimalValues.Read(section, destination);
            }
        }
        catch
        {
            CollectionsMarshal.SetCount(timestamps, oldTimes);
            CollectionsMarshal.SetCount(values, oldValues);
            throw;
        }

        return count;
    }

    /// <summary>The text counterpart of <see cref="Decode"/>: refuses numeric chunks the same way.</summary>
    public static int DecodeText(ReadOnlySpan<byte> chunk, List<long> timestamps, List<string> values)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        var (encoding, count, position) = ReadHeader(chunk);
        if (encoding != TextEncoding)
        {
            throw new ChunkFormatException("a numeric chunk: read it with Decode");
        }

        int oldTimes = timestamps.Count, oldValues = values.Count;
        CollectionsMarshal.SetCount(timestamps, oldTimes + count);
        CollectionsMarshal.SetCount(values, oldValues + count);
        try
        {
            ChunkTimestamps.Read(chunk, ref position, CollectionsMarshal.AsSpan(timestamps)[oldTimes..]);
            TextValues.Read(chunk[position..], CollectionsMarshal.AsSpan(values)[oldValues..]);
        }
        catch
        {
            CollectionsMarshal.SetCount(timestamps, oldTimes);
            CollectionsMarshal.SetCount(values, oldValues);
            throw;
        }

        return count;
    }

    /// <summary>Whether a chunk holds text (checks only the first two bytes).</summary>
    public static bool IsText(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < 2 || chunk[0] != Version || chunk[1] is 0 or > TextEncoding)
        {
            throw new ChunkFormatException("not a version 2 chunk");
        }

        return chunk[1] == TextEncoding;
    }

    /// <summary>Refuses more than seven padding bits after a section's last value.</summary>
    internal static void EnsureEnd(BitReader bits)
    {
        if (bits.Remaining >= 8)
        {
            throw new ChunkFormatException($"{bits.Remaining / 8} bytes after the last point");
        }
    }

    private static void CheckShape(int times, int values)
    {
        if (times != values || times is 0 or > MaxPoints)
        {
            throw new ArgumentException($"a chunk holds 1 to {MaxPoints} points, with one value per timestamp");
        }
    }

    /// <summary>Everything between the encoding byte and the values: the count and the timestamps.</summary>
    private static byte[] Header(ReadOnlySpan<long> timestamps)
    {
        var header = new ArrayBufferWriter<byte>(32 + (timestamps.Length / 4));
        ChunkVarint.Write(header, (ulong)timestamps.Length);
        ChunkTimestamps.Write(header, timestamps);
        return header.WrittenSpan.ToArray();
    }

    private static byte[] Assemble(byte[] header, byte encoding, ReadOnlySpan<byte> values)
    {
        var chunk = new byte[2 + header.Length + values.Length];
        chunk[0] = Version;
        chunk[1] = encoding;
        header.CopyTo(chunk, 2);
        values.CopyTo(chunk.AsSpan(2 + header.Length));
        return chunk;
    }

    private static (byte Encoding, int Count, int Position) ReadHeader(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty || chunk[0] != Version)
        {
            throw new ChunkFormatException(chunk.IsEmpty ? "an empty chunk" : $"unknown chunk version {chunk[0]}");
        }

        if (chunk.Length < 2 || chunk[1] is 0 or > TextEncoding)
        {
            throw new ChunkFormatException(chunk.Length < 2 ? "the chunk header is cut short" : $"unknown chunk encoding {chunk[1]}");
        }

        var position = 2;
        var count = ChunkVarint.Read(chunk, ref position);
        if (count is 0 or > MaxPoints)
        {
            throw new ChunkFormatException($"a chunk holds 1 to {MaxPoints} points, not {count}");
        }

        // Every 32 timestamps after the first cost at least a byte, so a short chunk cannot make us allocate much.
        if (count > (32UL * (ulong)chunk.Length) + 2)
        {
            throw new ChunkFormatException($"{count} points cannot fit in {chunk.Length} bytes");
        }

        return (chunk[1], (int)count, position);
    }
}
