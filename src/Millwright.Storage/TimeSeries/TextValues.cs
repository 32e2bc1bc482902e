using System.Buffers;
using System.Numerics;
using System.Text;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Text values (a program name, a state, an operator) through a per-chunk dictionary: machines repeat the same
/// few strings for hours, so a point is one bit when it repeats the previous one. Section layout:
/// <code>
/// varint  m, distinct strings (1..min(n, MaxTextEntries)), in order of first use
/// m times varint byte length (0..MaxTextBytes) and that many bytes of UTF-8
/// bits    index of point 0 (w bits, w = bits to write m - 1), then per point: 0 = same as the previous, 1 + w bits index
/// </code>
/// </summary>
internal static class TextValues
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(ReadOnlySpan<string> values)
    {
        var dictionary = new Dictionary<string, int>(StringComparer.Ordinal);
        var indexes = new int[values.Length];
        var output = new ArrayBufferWriter<byte>(64);
        var entries = new ArrayBufferWriter<byte>(64);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] ?? throw new ArgumentException($"text value {i} is null");
            if (!dictionary.TryGetValue(value, out var index))
            {
                index = dictionary.Count;
                if (index == TimeSeriesChunk.MaxTextEntries)
                {
                    throw new ArgumentException($"a text chunk holds at most {TimeSeriesChunk.MaxTextEntries} distinct values");
                }

                dictionary.Add(value, index);
                var length = Utf8Length(value, i);
                if (length > TimeSeriesChunk.MaxTextBytes)
                {
                    throw new ArgumentException($"text value {i} is {length} bytes of UTF-8, more than {TimeSeriesChunk.MaxTextBytes}");
                }

                ChunkVarint.Write(entries, (ulong)length);
                entries.Advance(Strict.GetBytes(value, entries.GetSpan(length)));
            }

            indexes[i] = index;
        }

        ChunkVarint.Write(output, (ulong)dictionary.Count);
        output.Write(entries.WrittenSpan);
        var width = IndexWidth(dictionary.Count);
        var bits = new BitWriter(values.Length / 8);
        bits.Write((ulong)indexes[0], width);
        for (var i = 1; i < indexes.Length; i++)
        {
            if (indexes[i] == indexes[i - 1])
            {
                bits.Write(0, 1);
            }
            else
            {
                bits.Write(1, 1);
                bits.Write((ulong)indexes[i], width);
            }
        }

        return [.. output.WrittenSpan, .. bits.Finish()];
    }

    public static void Read(ReadOnlySpan<byte> section, Span<string> destination)
    {
        var position = 0;
        var count = ChunkVarint.Read(section, ref position);
        if (count == 0 || count > (ulong)Math.Min(destination.Length, TimeSeriesChunk.MaxTextEntries))
        {
            throw new ChunkFormatException($"a text dictionary of {count} entries for {destination.Length} points");
        }

        var dictionary = new string[(int)count];
        for (var i = 0; i < dictionary.Length; i++)
        {
            var length = ChunkVarint.Read(section, ref position);
            if (length > TimeSeriesChunk.MaxTextBytes || length > (ulong)(section.Length - position))
            {
                throw new ChunkFormatException($"text entry {i} claims {length} bytes");
            }

            try
            {
                dictionary[i] = Strict.GetString(section.Slice(position, (int)length));
            }
            catch (DecoderFallbackException)
            {
                throw new ChunkFormatException($"text entry {i} is not UTF-8");
            }

            position += (int)length;
        }

        var width = IndexWidth(dictionary.Length);
        var bits = new BitReader(section[position..]);
        var index = ReadIndex(ref bits, width, dictionary.Length);
        destination[0] = dictionary[index];
        for (var i = 1; i < destination.Length; i++)
        {
            if (bits.ReadBit())
            {
                index = ReadIndex(ref bits, width, dictionary.Length);
            }

            destination[i] = dictionary[index];
        }

        TimeSeriesChunk.EnsureEnd(bits);
    }

    private static int Utf8Length(string value, int point)
    {
        try
        {
            return Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"text value {point} is not valid UTF-16 (a lone surrogate), so UTF-8 cannot carry it");
        }
    }

    private static int ReadIndex(ref BitReader bits, int width, int count)
    {
        var index = bits.Read(width);
        return index < (ulong)count ? (int)index : throw new ChunkFormatException($"text index {index} beyond a dictionary of {count}");
    }

    private static int IndexWidth(int count) => count <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(count - 1));
}
