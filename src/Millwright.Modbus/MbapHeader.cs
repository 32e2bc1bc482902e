using System.Buffers.Binary;

namespace Millwright.Modbus;

/// <summary>The 7-byte MBAP header (TCP implementation guide 3.1.3).</summary>
internal readonly record struct MbapHeader(ushort TransactionId, ushort ProtocolId, ushort Length, byte UnitId)
{
    /// <summary>Bytes that follow the header: the PDU (the length field also counts the unit id).</summary>
    public int PduLength => Length - 1;

    /// <summary>
    /// Reads and checks a header. Protocol id must be 0 (Modbus); the length must hold a unit id, a function
    /// code and at most a 253-byte PDU, so a hostile length can never make us allocate or wait for more.
    /// </summary>
    public static MbapHeader Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ModbusReader(bytes);
        var header = new MbapHeader(reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadByte());
        if (header.ProtocolId != 0)
        {
            throw new ModbusProtocolException($"MBAP protocol id {header.ProtocolId}, expected 0");
        }

        if (header.Length < 2 || header.Length > ModbusLimits.MaxMbapLengthField)
        {
            throw new ModbusProtocolException($"MBAP length {header.Length} outside 2..{ModbusLimits.MaxMbapLengthField}");
        }

        return header;
    }

    public static void Write(Span<byte> destination, ushort transactionId, byte unitId, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pduLength + 1));
        destination[6] = unitId;
    }
}
