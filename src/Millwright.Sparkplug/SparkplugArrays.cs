using System.Buffers.Binary;
using System.Text;

namespace Millwright.Sparkplug;

/// <summary>
/// Array datatypes (6.4.17, "Array Types"): packed little-endian elements in bytes_value. BooleanArray is a
/// 4-byte little-endian element count followed by the bits, most significant bit first; StringArray is
/// NUL-terminated UTF-8 strings one after another.
/// </summary>
internal static class SparkplugArrays
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static object Decode(SparkplugDataType type, byte[] bytes, string what)
    {
        var span = bytes.AsSpan();
        return type switch
        {
            SparkplugDataType.Int8Array => Fixed(span, 1, what, s => (sbyte)s[0]),
            SparkplugDataType.Int16Array => Fixed(span, 2, what, BinaryPrimitives.ReadInt16LittleEndian),
            SparkplugDataType.Int32Array => Fixed(span, 4, what, BinaryPrimitives.ReadInt32LittleEndian),
            SparkplugDataType.Int64Array => Fixed(span, 8, what, BinaryPrimitives.ReadInt64LittleEndian),
            SparkplugDataType.UInt8Array => bytes.ToArray(),
            SparkplugDataType.UInt16Array => Fixed(span, 2, what, BinaryPrimitives.ReadUInt16LittleEndian),
            SparkplugDataType.UInt32Array => Fixed(span, 4, what, BinaryPrimitives.ReadUInt32LittleEndian),
            SparkplugDataType.UInt64Array => Fixed(span, 8, what, BinaryPrimitives.ReadUInt64LittleEndian),
            SparkplugDataType.FloatArray => Fixed(span, 4, what, BinaryPrimitives.ReadSingleLittleEndian),
            SparkplugDataType.DoubleArray => Fixed(span, 8, what, BinaryPrimitives.ReadDoubleLittleEndian),
            SparkplugDataType.DateTimeArray => Fixed(span, 8, what,
                s => SparkplugValues.ToTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(s), what)),
            SparkplugDataType.BooleanArray => DecodeBooleans(span, what),
            SparkplugDataType.StringArray => DecodeStrings(span, what),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    public static byte[] Encode(SparkplugDataType type, object value) => (type, value) switch
    {
        (SparkplugDataType.Int8Array, sbyte[] v) => Pack(v, 1, (d, x) => d[0] = unchecked((byte)x)),
        (SparkplugDataType.Int16Array, short[] v) => Pack(v, 2, BinaryPrimitives.WriteInt16LittleEndian),
        (SparkplugDataType.Int32Array, int[] v) => Pack(v, 4, BinaryPrimitives.WriteInt32LittleEndian),
        (SparkplugDataType.Int64Array, long[] v) => Pack(v, 8, BinaryPrimitives.WriteInt64LittleEndian),
        (SparkplugDataType.UInt8Array, byte[] v) => v.ToArray(),
        (SparkplugDataType.UInt16Array, ushort[] v) => Pack(v, 2, BinaryPrimitives.WriteUInt16LittleEndian),
        (SparkplugDataType.UInt32Array, uint[] v) => Pack(v, 4, BinaryPrimitives.WriteUInt32LittleEndian),
        (SparkplugDataType.UInt64Array, ulong[] v) => Pack(v, 8, BinaryPrimitives.WriteUInt64LittleEndian),
        (SparkplugDataType.FloatArray, float[] v) => Pack(v, 4, BinaryPrimitives.WriteSingleLittleEndian),
        (SparkplugDataType.DoubleArray, double[] v) => Pack(v, 8, BinaryPrimitives.WriteDoubleLittleEndian),
        (SparkplugDataType.DateTimeArray, DateTimeOffset[] v) =>
            Pack(v, 8, (d, x) => BinaryPrimitives.WriteUInt64LittleEndian(d, SparkplugValues.FromTimestamp(x))),
        (SparkplugDataType.BooleanArray, bool[] v) => EncodeBooleans(v),
        (SparkplugDataType.StringArray, string[] v) => EncodeStrings(v),
        _ => throw new ArgumentException($"A {value.GetType().Name} is not a value of Sparkplug datatype {type}.", nameof(value)),
    };

    private delegate T Reader<out T>(ReadOnlySpan<byte> source);

    private delegate void Writer<in T>(Span<byte> destination, T value);

    private static T[] Fixed<T>(ReadOnlySpan<byte> span, int size, string what, Reader<T> read)
    {
        if (span.Length % size != 0)
        {
            throw new SparkplugProtocolException($"{what}: {span.Length} bytes is not a whole number of {size}-byte elements.");
        }

        var result = new T[span.Length / size];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = read(span.Slice(i * size, size));
        }

        return result;
    }

    private static byte[] Pack<T>(T[] values, int size, Writer<T> write)
    {
        var result = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            write(result.AsSpan(i * size, size), values[i]);
        }

        return result;
    }

    private static bool[] DecodeBooleans(ReadOnlySpan<byte> span, string what)
    {
        if (span.Length < 4)
        {
            throw new SparkplugProtocolException($"{what}: a BooleanArray needs its 4-byte element count.");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var bits = span[4..];
        // The count must match the packed bytes exactly, which also bounds the allocation by the input size.
        if ((ulong)bits.Length != (count + 7UL) / 8)
        {
            throw new SparkplugProtocolException($"{what}: a BooleanArray of {count} elements cannot have {bits.Length} bytes.");
        }

        var result = new bool[count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
        }

        return result;
    }

    private static byte[] EncodeBooleans(bool[] values)
    {
        var result = new byte[4 + ((values.Length + 7) / 8)];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                result[4 + (i / 8)] |= (byte)(0x80 >> (i % 8));
            }
        }

        return result;
    }

    private static string[] DecodeStrings(ReadOnlySpan<byte> span, string what)
    {
        if (span.Length > 0 && span[^1] != 0)
        {
            throw new SparkplugProtocolException($"{what}: a StringArray must end with a NUL terminator.");
        }

        var result = new List<string>();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)0);
            try
            {
                result.Add(StrictUtf8.GetString(span[..end]));
            }
            catch (DecoderFallbackException e)
            {
                throw new SparkplugProtocolException($"{what}: a StringArray element is not UTF-8.", e);
            }

            span = span[(end + 1)..];
        }

        return [.. result];
    }

    private static byte[] EncodeStrings(string[] values)
    {
        var buffer = new List<byte>();
        foreach (var value in values)
        {
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A StringArray element cannot contain NUL.", nameof(values));
            }

            buffer.AddRange(Encoding.UTF8.GetBytes(value));
            buffer.Add(0);
        }

        return [.. buffer];
    }
}
