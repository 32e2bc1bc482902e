using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Millwright.OpcUa.Encoding;

/// <summary>Writes OPC UA Binary (OPC 10000-6 5.2); the mirror of <see cref="UaReader"/>.</summary>
internal sealed partial class UaWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteByte(byte value) => Span(1)[0] = value;

    public void WriteSByte(sbyte value) => Span(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Span(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Span(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Span(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Span(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Span(8), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Span(4), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Span(8), value);

    public void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    public void WriteEnum(int value) => WriteInt32(value);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        System.Text.Encoding.UTF8.GetBytes(value, Span(length));
    }

    public void WriteByteString(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(value.Length);
        value.CopyTo(Span(value.Length));
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Span(bytes.Length));

    public void WriteByteString(byte[]? value) => WriteByteString(value, value is null);

    public void WriteDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        WriteInt64(utc <= DateTime.FromFileTimeUtc(0) ? 0 : utc == DateTime.MaxValue ? long.MaxValue : utc.ToFileTimeUtc());
    }

    public void WriteGuid(Guid value) => value.TryWriteBytes(Span(16));

    public void WriteArray<T>(IReadOnlyCollection<T>? items, Action<UaWriter, T> element)
    {
        if (items is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(items.Count);
        foreach (var item in items)
        {
            element(this, item);
        }
    }

    /// <summary>Overwrites four bytes already written (a message size known only at the end).</summary>
    public void PatchUInt32(int offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span.Slice(offset, 4), value);

    private Span<byte> Span(int count)
    {
        var span = _buffer.GetSpan(count)[..count];
        _buffer.Advance(count);
        return span;
    }
}
