using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The body of one ts_log row: every point of one committed batch, replayed at open after a crash.
/// <code>
/// byte    version (1)
/// varint  point count (1..)
/// per point:
///   varint  series id &lt;&lt; 1 | 1 if the value is text
///   varint  zigzag(timestamp - previous point's timestamp), the first against 0
///   8 bytes the double, little-endian          (numbers)
///   varint  byte length, then UTF-8 bytes      (text)
/// </code>
/// Points of one message share a timestamp, so the delta is usually one byte and a point costs about 11.
/// </summary>
internal static class IngestLogCodec
{
    public const byte Version = 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(IReadOnlyList<LogPoint> points) => Encode(points, new ArrayBufferWriter<byte>((points.Count * 12) + 8));

    /// <summary>As <see cref="Encode(IReadOnlyList{LogPoint})"/>, written through <paramref name="output"/> (cleared first), which the appender keeps between batches.</summary>
    public static byte[] Encode(IReadOnlyList<LogPoint> points, ArrayBufferWriter<byte> output)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("a log batch holds at least one point");
        }

        output.ResetWrittenCount();
        output.Write([Version]);
        WriteVarint(output, (ulong)points.Count);
        long previous = 0;
        foreach (var point in points)
        {
            if (point.SeriesId <= 0)
            {
                throw new ArgumentException("series ids are positive");
            }

            WriteVarint(output, ((ulong)point.SeriesId << 1) | (point.Text is null ? 0UL : 1UL));
            var delta = unchecked(point.Timestamp - previous);
            WriteVarint(output, (ulong)((delta << 1) ^ (delta >> 63)));
            previous = point.Timestamp;
            if (point.Text is null)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), point.Number);
                output.Advance(8);
            }
            else
            {
                var length = StrictUtf8.GetByteCount(point.Text);
                WriteVarint(output, (ulong)length);
                output.Advance(StrictUtf8.GetBytes(point.Text, output.GetSpan(length)));
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Appends the batch's points; throws <see cref="IngestLogFormatException"/> and nothing else for bad bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> body, List<LogPoint> points)
    {
        if (body.IsEmpty || body[0] != Version)
        {
            throw new IngestLogFormatException(body.IsEmpty ? "an empty log batch" : $"unknown log batch version {body[0]}");
        }

        var position = 1;
        var count = ReadVarint(body, ref position);
        // A point takes at least three bytes (id, delta, a one-byte text length), so a larger count is a lie.
        if (count == 0 || count > (ulong)(body.Length - position) / 3)
        {
            throw new IngestLogFormatException($"a log batch of {body.Length} bytes cannot hold {count} points");
        }

        long time = 0;
        for (ulong i = 0; i < count; i++)
        {
            var head = ReadVarint(body, ref position);
            var seriesId = (long)(head >> 1);
            if (seriesId <= 0)
            {
                throw new IngestLogFormatException($"point {i} names series 0");
            }

            var zigzag = ReadVarint(body, ref position);
            var delta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            // Deltas wrap like the encoder's, so every 64-bit timestamp round-trips.
            time = unchecked(time + delta);
            if ((head & 1) == 0)
            {
                if (body.Length - position < 8)
                {
                    throw new IngestLogFormatException($"point {i} is cut short");
                }

                points.Add(new LogPoint(seriesId, time, BinaryPrimitives.ReadDoubleLittleEndian(body[position..]), null));
                position += 8;
            }
            else
            {
                var length = ReadVarint(body, ref position);
                if (length > (ulong)(body.Length - position))
                {
                    throw new IngestLogFormatException($"point {i} has a text of {length} bytes past the end");
                }

                string text;
                try
                {
                    text = StrictUtf8.GetString(body.Slice(position, (int)length));
                }
                catch (DecoderFallbackException)
                {
                    throw new IngestLogFormatException($"point {i} has text that is not UTF-8");
                }

                position += (int)length;
                points.Add(new LogPoint(seriesId, time, 0, text));
            }
        }

        if (position != body.Length)
        {
            throw new IngestLogFormatException($"{body.Length - position} bytes after the last point");
        }

        return (int)count;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= input.Length)
            {
                throw new IngestLogFormatException("a number is cut short");
            }

            var b = input[position++];
            if (shift == 63 && b > 1)
            {
                throw new IngestLogFormatException("a number beyond 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new IngestLogFormatException("a number longer than ten bytes");
    }
}
