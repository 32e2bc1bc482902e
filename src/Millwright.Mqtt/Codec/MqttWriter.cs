using System.Buffers.Binary;
using System.Text;

namespace Millwright.Mqtt.Codec;

/// <summary>Writes MQTT data types into a span already sized by the encoder's measuring pass.</summary>
internal ref struct MqttWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public MqttWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    /// <summary>Variable Byte Integer (1.5.5), minimal encoding.</summary>
    public void WriteVariableByteInteger(int value)
    {
        var v = (uint)value;
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0)
            {
                b |= 0x80;
            }

            _buffer[_position++] = b;
        }
        while (v != 0);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Binary Data (1.5.6).</summary>
    public void WriteBinary(ReadOnlySpan<byte> bytes)
    {
        WriteUInt16((ushort)bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>UTF-8 Encoded String (1.5.4); the length was checked when measuring.</summary>
    public void WriteString(string value)
    {
        var written = Encoding.UTF8.GetBytes(value, _buffer[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], (ushort)written);
        _position += 2 + written;
    }

    public static int VariableByteIntegerSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    public static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("An MQTT string is at most 65,535 bytes of UTF-8 (1.5.4).", nameof(value));
        }

        return 2 + length;
    }

    public static int BinarySize(int length)
    {
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT binary data is at most 65,535 bytes (1.5.6).", nameof(length));
        }

        return 2 + length;
    }
}
