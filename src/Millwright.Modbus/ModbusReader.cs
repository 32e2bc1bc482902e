using System.Buffers.Binary;

namespace Millwright.Modbus;

/// <summary>Bounds-checked big-endian reader over untrusted bytes (Modbus is big-endian, application protocol 4.2).</summary>
internal ref struct ModbusReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ModbusReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public byte ReadByte()
    {
        Require(1);
        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        Require(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Require(count);
        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new ModbusProtocolException($"{what}: {Remaining} trailing bytes");
        }
    }

    private readonly void Require(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ModbusProtocolException($"Frame truncated: needed {count} bytes at offset {_position}, {Remaining} left");
        }
    }
}
