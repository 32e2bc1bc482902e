using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Millwright.Mqtt.Codec;

/// <summary>
/// Bounds-checked reader over one packet's bytes. Every read past the end is a Malformed Packet
/// (5.0 section 1.5: data types; 2.1.4: the remaining length bounds the packet).
/// </summary>
internal ref struct MqttReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MqttReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool IsEnd => _position == _buffer.Length;

    public byte ReadByte()
    {
        if (_position >= _buffer.Length)
        {
            ProtocolErrors.Malformed("Packet ends inside a byte field.");
        }

        return _buffer[_position++];
    }

    /// <summary>Two Byte Integer, big-endian (1.5.2).</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadSpan(2));

    /// <summary>Four Byte Integer, big-endian (1.5.3).</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadSpan(4));

    /// <summary>Variable Byte Integer (1.5.5): at most four bytes, minimal encoding.</summary>
    public int ReadVariableByteInteger()
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A trailing zero byte means a shorter encoding existed; 1.5.5 requires the minimum.
                if (i > 0 && b == 0)
                {
                    ProtocolErrors.Malformed("Variable byte integer is not minimally encoded.");
                }

                return value;
            }
        }

        ProtocolErrors.Malformed("Variable byte integer longer than four bytes.");
        return 0;
    }

    public ReadOnlySpan<byte> ReadSpan(int length)
    {
        if ((uint)length > (uint)Remaining)
        {
            ProtocolErrors.Malformed("Field runs past the end of the packet.");
        }

        var span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    /// <summary>Binary Data (1.5.6): two-byte length then bytes; returned as a view into the packet.</summary>
    public ReadOnlySpan<byte> ReadBinarySpan() => ReadSpan(ReadUInt16());

    /// <summary>Binary Data copied out of the receive buffer, which the caller will reuse.</summary>
    public byte[] ReadBinary() => ReadBinarySpan().ToArray();

    /// <summary>UTF-8 Encoded String (1.5.4): well-formed, no surrogates, no U+0000.</summary>
    public string ReadString()
    {
        var bytes = ReadBinarySpan();
        ValidateUtf8(bytes);
        return bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);
    }

    public ReadOnlySpan<byte> ReadToEnd()
    {
        var span = _buffer[_position..];
        _position = _buffer.Length;
        return span;
    }

    /// <summary>
    /// 1.5.4 [MQTT-1.5.4-1] ill-formed UTF-8 (including encoded surrogates U+D800-U+DFFF and overlong forms)
    /// and [MQTT-1.5.4-2] U+0000 make the packet malformed.
    /// </summary>
    public static void ValidateUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            ProtocolErrors.Malformed("UTF-8 string contains U+0000.");
        }

        if (!Utf8.IsValid(bytes))
        {
            ProtocolErrors.Malformed("String is not well-formed UTF-8.");
        }
    }
}
