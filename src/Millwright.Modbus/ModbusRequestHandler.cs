using System.Buffers.Binary;

namespace Millwright.Modbus;

/// <summary>
/// Server side: parses one request ADU and executes it against a register bank. Returns the response length,
/// or 0 when the connection must be closed (bad MBAP header: TCP guide 4.4.2.1 says to discard such frames,
/// and a stream whose framing is lost cannot be resynchronised). Never throws for any input.
/// </summary>
internal static class ModbusRequestHandler
{
    public static int Handle(ReadOnlySpan<byte> adu, Span<byte> response, ModbusRegisterBank bank)
    {
        MbapHeader header;
        try
        {
            header = MbapHeader.Read(adu);
        }
        catch (ModbusProtocolException)
        {
            return 0;
        }

        if (adu.Length != ModbusLimits.MbapLength + header.PduLength || response.Length < ModbusLimits.MaxAduLength)
        {
            return 0;
        }

        var function = adu[ModbusLimits.MbapLength];
        if (function is 0 or >= 0x80)
        {
            // 0 is not a function and 0x80+ are exception codes: no answer can be formed that a client could match.
            return 0;
        }

        var pdu = response[ModbusLimits.MbapLength..];
        int pduLength;
        try
        {
            pduLength = Execute(adu.Slice(ModbusLimits.MbapLength + 1, header.PduLength - 1), function, pdu, bank);
        }
        catch (ModbusProtocolException)
        {
            // Section 6 state diagrams: a PDU whose fields do not add up is ILLEGAL DATA VALUE.
            pduLength = Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
        }

        MbapHeader.Write(response, header.TransactionId, header.UnitId, pduLength);
        return ModbusLimits.MbapLength + pduLength;
    }

    private static int Execute(ReadOnlySpan<byte> body, byte function, Span<byte> pdu, ModbusRegisterBank bank)
    {
        var reader = new ModbusReader(body);
        pdu[0] = function;
        switch ((ModbusFunction)function)
        {
            case ModbusFunction.ReadCoils:
            case ModbusFunction.ReadDiscreteInputs:
            {
                var area = function == (byte)ModbusFunction.ReadCoils ? ModbusArea.Coil : ModbusArea.DiscreteInput;
                var (address, quantity) = (reader.ReadUInt16(), reader.ReadUInt16());
                reader.ExpectEnd("Read bits request");
                if (quantity is < 1 or > ModbusLimits.MaxReadBits)
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
                }

                if (!bank.Contains(area, address, quantity))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                var byteCount = (quantity + 7) / 8;
                pdu[1] = (byte)byteCount;
                bank.ReadBitsPacked(area, address, quantity, pdu.Slice(2, byteCount));
                return 2 + byteCount;
            }

            case ModbusFunction.ReadHoldingRegisters:
            case ModbusFunction.ReadInputRegisters:
            {
                var area = function == (byte)ModbusFunction.ReadHoldingRegisters ? ModbusArea.HoldingRegister : ModbusArea.InputRegister;
                var (address, quantity) = (reader.ReadUInt16(), reader.ReadUInt16());
                reader.ExpectEnd("Read registers request");
                if (quantity is < 1 or > ModbusLimits.MaxReadRegisters)
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
                }

                if (!bank.Contains(area, address, quantity))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                pdu[1] = (byte)(quantity * 2);
                var values = bank.GetRegisters(area, address, quantity);
                for (var i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(pdu[(2 + (2 * i))..], values[i]);
                }

                return 2 + (quantity * 2);
            }

            case ModbusFunction.WriteSingleCoil:
            {
                var (address, value) = (reader.ReadUInt16(), reader.ReadUInt16());
                reader.ExpectEnd("Write single coil request");
                if (value is not (ModbusLimits.CoilOn or ModbusLimits.CoilOff))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
                }

                if (!bank.Contains(ModbusArea.Coil, address, 1))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                bank.SetBits(ModbusArea.Coil, address, [value == ModbusLimits.CoilOn]);
                return Echo(pdu, address, value);
            }

            case ModbusFunction.WriteSingleRegister:
            {
                var (address, value) = (reader.ReadUInt16(), reader.ReadUInt16());
                reader.ExpectEnd("Write single register request");
                if (!bank.Contains(ModbusArea.HoldingRegister, address, 1))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                bank.SetRegisters(ModbusArea.HoldingRegister, address, [value]);
                return Echo(pdu, address, value);
            }

            case ModbusFunction.WriteMultipleCoils:
            {
                var (address, quantity, byteCount) = (reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadByte());
                if (quantity is < 1 or > ModbusLimits.MaxWriteBits || byteCount != (quantity + 7) / 8 || reader.Remaining != byteCount)
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
                }

                if (!bank.Contains(ModbusArea.Coil, address, quantity))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                var packed = reader.ReadBytes(byteCount);
                var bits = new bool[quantity];
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = (packed[i / 8] & (1 << (i % 8))) != 0;
                }

                bank.SetBits(ModbusArea.Coil, address, bits);
                return Echo(pdu, address, quantity);
            }

            case ModbusFunction.WriteMultipleRegisters:
            {
                var (address, quantity, byteCount) = (reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadByte());
                if (quantity is < 1 or > ModbusLimits.MaxWriteRegisters || byteCount != quantity * 2 || reader.Remaining != byteCount)
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataValue);
                }

                if (!bank.Contains(ModbusArea.HoldingRegister, address, quantity))
                {
                    return Refuse(pdu, function, ModbusExceptionCode.IllegalDataAddress);
                }

                var values = new ushort[quantity];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.ReadUInt16();
                }

                bank.SetRegisters(ModbusArea.HoldingRegister, address, values);
                return Echo(pdu, address, quantity);
            }

            default:
                return Refuse(pdu, function, ModbusExceptionCode.IllegalFunction);
        }
    }

    private static int Echo(Span<byte> pdu, ushort address, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], value);
        return 5;
    }

    private static int Refuse(Span<byte> pdu, byte function, ModbusExceptionCode code)
    {
        pdu[0] = (byte)(function | 0x80);
        pdu[1] = (byte)code;
        return 2;
    }
}
