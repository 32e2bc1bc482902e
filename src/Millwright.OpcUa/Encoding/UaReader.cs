using System.Buffers.Binary;
using System.Text;

namespace Millwright.OpcUa.Encoding;

/// <summary>
/// Reads OPC UA Binary (OPC 10000-6 5.2) from a buffer of untrusted bytes. Every failure, whatever the bytes, is an
/// <see cref="OpcUaProtocolException"/> with Bad_DecodingError or Bad_EncodingLimitsExceeded.
/// </summary>
internal sealed partial class UaReader(ReadOnlyMemory<byte> buffer, DecodingLimits? limits = null)
{
    private static readonly long MaxFileTime = DateTime.MaxValue.ToFileTimeUtc();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly ReadOnlyMemory<byte> _buffer = buffer;
    private readonly DecodingLimits _limits = limits ?? DecodingLimits.Default;
    private int _depth;

    public int Position { get; private set; }

    public int Remaining => _buffer.Length - Position;

    public DecodingLimits Limits => _limits;

    public bool ReadBoolean() => ReadByte() != 0;

    public byte ReadByte() => Take(1)[0];

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    /// <summary>Int32 length then UTF-8; -1 is null (5.2.2.4).</summary>
    public string? ReadString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        CheckLength(length, _limits.MaxStringLength, "String");
        try
        {
            return StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException e)
        {
            throw new OpcUaProtocolException($"a String is not valid UTF-8 at offset {Position - length}.", e);
        }
    }

    public byte[]? ReadByteString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        CheckLength(length, _limits.MaxByteStringLength, "ByteString");
        return Take(length).ToArray();
    }

    /// <summary>100-nanosecond intervals since 1601-01-01 UTC (5.2.2.5); 0 and below mean "no time", the maximum clamps.</summary>
    public DateTime ReadDateTime()
    {
        var ticks = ReadInt64();
        return ticks <= 0 ? DateTime.MinValue
            : ticks >= MaxFileTime ? DateTime.MaxValue
            : DateTime.FromFileTimeUtc(ticks);
    }

    /// <summary>Data1 UInt32, Data2 UInt16, Data3 UInt16 little-endian, Data4 8 bytes: .NET's own byte layout (5.2.2.7).</summary>
    public Guid ReadGuid() => new(Take(16));

    /// <summary>An Int32 count, -1 for null, then the elements; the count is bounded by the limits and the bytes left.</summary>
    public T[]? ReadArray<T>(Func<UaReader, T> element)
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        // Every element takes at least one byte, so a count above what is left cannot be honest.
        CheckLength(length, _limits.MaxArrayLength, "array");
        var items = new T[length];
        for (var i = 0; i < length; i++)
        {
            items[i] = element(this);
        }

        return items;
    }

    public IReadOnlyList<T> ReadList<T>(Func<UaReader, T> element) => ReadArray(element) ?? [];

    public int ReadEnum() => ReadInt32();

    internal void Enter()
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw new OpcUaProtocolException(StatusCode.BadEncodingLimitsExceeded, $"nesting deeper than {_limits.MaxDepth} levels");
        }
    }

    internal void Leave() => _depth--;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new OpcUaProtocolException($"the message ends {count - Remaining} byte(s) early at offset {Position}.");
        }

        var span = _buffer.Span.Slice(Position, count);
        Position += count;
        return span;
    }

    private void CheckLength(int length, int limit, string what)
    {
        if (length < 0)
        {
            throw new OpcUaProtocolException($"a {what} has the negative length {length}.");
        }

        if (length > limit)
        {
            throw new OpcUaProtocolException(StatusCode.BadEncodingLimitsExceeded, $"a {what} of {length} exceeds the limit of {limit}");
        }

        if (length > Remaining)
        {
            throw new OpcUaProtocolException($"a {what} of length {length} runs past the message's end ({Remaining} bytes left).");
        }
    }
}
