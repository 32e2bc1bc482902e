namespace Millwright.Modbus;

/// <summary>
/// Checks a whole response ADU against the request that caused it. Anything malformed throws
/// <see cref="ModbusProtocolException"/>; a well-formed exception response throws <see cref="ModbusDeviceException"/>.
/// </summary>
internal static class ModbusResponseParser
{
    public static ModbusResponse Parse(ReadOnlySpan<byte> adu, ModbusRequest request, ushort transactionId, byte unitId)
    {
        var header = MbapHeader.Read(adu);
        if (adu.Length != ModbusLimits.MbapLength + header.PduLength)
        {
            throw new ModbusProtocolException($"MBAP length {header.Length} does not match a {adu.Length}-byte frame");
        }

        // TCP guide 3.1.3: the server copies transaction id and unit id from the request.
        if (header.TransactionId != transactionId)
        {
            throw new ModbusProtocolException($"Transaction id {header.TransactionId}, expected {transactionId}");
        }

        if (header.UnitId != unitId)
        {
            throw new ModbusProtocolException($"Unit id {header.UnitId}, expected {unitId}");
        }

        var reader = new ModbusReader(adu[ModbusLimits.MbapLength..]);
        var function = reader.ReadByte();
        if (function == ((byte)request.Function | 0x80))
        {
            // Section 7: exception response = function | 0x80, one exception code byte.
            var code = reader.ReadByte();
            reader.ExpectEnd("Exception response");
            if (code is < 1 or > 11)
            {
                throw new ModbusProtocolException($"Exception code {code} outside 1..11");
            }

            throw new ModbusDeviceException(request.Function, (ModbusExceptionCode)code);
        }

        if (function != (byte)request.Function)
        {
            throw new ModbusProtocolException($"Function code 0x{function:X2} in response to 0x{(byte)request.Function:X2}");
        }

        var response = new ModbusResponse(request.Function, header.TransactionId, header.UnitId);
        switch (request.Function)
        {
            case ModbusFunction.ReadCoils:
            case ModbusFunction.ReadDiscreteInputs:
            {
                // 6.1/6.2: byte count N = ceil(quantity / 8), bits LSB first.
                var data = ReadCounted(ref reader, (request.Quantity + 7) / 8);
                var bits = new bool[request.Quantity];
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = (data[i / 8] & (1 << (i % 8))) != 0;
                }

                response = response with { Bits = bits };
                break;
            }

            case ModbusFunction.ReadHoldingRegisters:
            case ModbusFunction.ReadInputRegisters:
            {
                // 6.3/6.4: byte count = 2 * quantity.
                var data = ReadCounted(ref reader, request.Quantity * 2);
                var registers = new ushort[request.Quantity];
                for (var i = 0; i < registers.Length; i++)
                {
                    registers[i] = (ushort)((data[2 * i] << 8) | data[(2 * i) + 1]);
                }

                response = response with { Registers = registers };
                break;
            }

            case ModbusFunction.WriteSingleCoil:
            case ModbusFunction.WriteSingleRegister:
                // 6.5/6.6: the normal response is an echo of the request.
                response = ReadEcho(ref reader, response, request.Address, request.Value);
                break;

            case ModbusFunction.WriteMultipleCoils:
            case ModbusFunction.WriteMultipleRegisters:
                // 6.11/6.12: address and quantity echoed.
                response = ReadEcho(ref reader, response, request.Address, request.Quantity);
                break;

            default:
                throw new ModbusProtocolException($"Unsupported function 0x{(byte)request.Function:X2}");
        }

        reader.ExpectEnd($"{request.Function} response");
        return response;
    }

    private static ReadOnlySpan<byte> ReadCounted(ref ModbusReader reader, int expected)
    {
        var count = reader.ReadByte();
        if (count != expected)
        {
            throw new ModbusProtocolException($"Byte count {count}, expected {expected} for the requested quantity");
        }

        return reader.ReadBytes(count);
    }

    private static ModbusResponse ReadEcho(ref ModbusReader reader, ModbusResponse response, ushort address, ushort value)
    {
        var echoedAddress = reader.ReadUInt16();
        var echoedValue = reader.ReadUInt16();
        if (echoedAddress != address || echoedValue != value)
        {
            throw new ModbusProtocolException($"Echo {echoedAddress}/{echoedValue} does not match request {address}/{value}");
        }

        return response with { Address = echoedAddress, ValueOrQuantity = echoedValue };
    }
}
