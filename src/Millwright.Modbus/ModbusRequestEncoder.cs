using System.Buffers.Binary;

namespace Millwright.Modbus;

/// <summary>Builds request ADUs (MBAP + PDU). Caller mistakes (quantities outside section 6 limits) are argument errors, not protocol errors.</summary>
internal static class ModbusRequestEncoder
{
    public static int EncodeRead(Span<byte> destination, ushort transactionId, byte unitId, ModbusRequest request)
    {
        var max = request.Function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs
            ? ModbusLimits.MaxReadBits
            : ModbusLimits.MaxReadRegisters;
        CheckRange(request.Address, request.Quantity, max);
        var pdu = destination[ModbusLimits.MbapLength..];
        pdu[0] = (byte)request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], request.Address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], request.Quantity);
        MbapHeader.Write(destination, transactionId, unitId, 5);
        return ModbusLimits.MbapLength + 5;
    }

    /// <summary>FC 05 and 06: address and value, echoed by the device.</summary>
    public static int EncodeWriteSingle(Span<byte> destination, ushort transactionId, byte unitId, ModbusRequest request)
    {
        var pdu = destination[ModbusLimits.MbapLength..];
        pdu[0] = (byte)request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], request.Address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], request.Value);
        MbapHeader.Write(destination, transactionId, unitId, 5);
        return ModbusLimits.MbapLength + 5;
    }

    /// <summary>FC 15 (6.11): coils packed LSB first, byte count N = ceil(quantity / 8).</summary>
    public static int EncodeWriteCoils(Span<byte> destination, ushort transactionId, byte unitId, ushort address, ReadOnlySpan<bool> coils)
    {
        CheckRange(address, coils.Length, ModbusLimits.MaxWriteBits);
        var byteCount = (coils.Length + 7) / 8;
        var pdu = destination[ModbusLimits.MbapLength..];
        pdu[0] = (byte)ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)coils.Length);
        pdu[5] = (byte)byteCount;
        PackBits(coils, pdu.Slice(6, byteCount));
        MbapHeader.Write(destination, transactionId, unitId, 6 + byteCount);
        return ModbusLimits.MbapLength + 6 + byteCount;
    }

    /// <summary>FC 16 (6.12): byte count = 2 * quantity.</summary>
    public static int EncodeWriteRegisters(Span<byte> destination, ushort transactionId, byte unitId, ushort address, ReadOnlySpan<ushort> registers)
    {
        CheckRange(address, registers.Length, ModbusLimits.MaxWriteRegisters);
        var pdu = destination[ModbusLimits.MbapLength..];
        pdu[0] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)registers.Length);
        pdu[5] = (byte)(registers.Length * 2);
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(pdu[(6 + (2 * i))..], registers[i]);
        }

        MbapHeader.Write(destination, transactionId, unitId, 6 + (registers.Length * 2));
        return ModbusLimits.MbapLength + 6 + (registers.Length * 2);
    }

    public static void PackBits(ReadOnlySpan<bool> bits, Span<byte> destination)
    {
        destination.Clear();
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                destination[i / 8] |= (byte)(1 << (i % 8));
            }
        }
    }

    private static void CheckRange(ushort address, int quantity, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1, nameof(quantity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, max, nameof(quantity));
        // The addressed block must end inside the 16-bit address space (section 4.4).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address + quantity, 0x10000, nameof(quantity));
    }
}
