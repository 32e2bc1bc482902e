using Millwright.Modbus;
using System.Buffers.Binary;

namespace Millwright.Fuzzing;

/// <summary>Seeds and targets for fuzzing the response parser and the server's request handler (shared with bench/Millwright.Modbus.Fuzz).</summary>
internal static class ModbusFuzzTargets
{
    public const ushort TransactionId = 0x1234;
    public const byte UnitId = 0x11;

    /// <summary>MBAP transaction, protocol and length; unit; function; byte count (or first word); second word.</summary>
    public static readonly (int Offset, int Width)[] Fields = [(0, 2), (2, 2), (4, 2), (6, 1), (7, 1), (8, 1), (8, 2), (10, 2), (12, 1)];

    public enum Outcome
    {
        Parsed,
        ProtocolError,
        DeviceException,
    }

    /// <summary>A valid response for every function code, and exception responses, with the request each answers.</summary>
    public static IReadOnlyList<(ModbusRequest Request, byte[] Response)> ResponseSeeds()
    {
        var seeds = new List<(ModbusRequest, byte[])>
        {
            (new(ModbusFunction.ReadCoils, 0, 10), Adu(0x01, 2, 0b1010_0101, 0b10)),
            (new(ModbusFunction.ReadCoils, 7, 1), Adu(0x01, 1, 1)),
            (new(ModbusFunction.ReadDiscreteInputs, 100, 16), Adu(0x02, 2, 0xFF, 0x00)),
            (new(ModbusFunction.ReadHoldingRegisters, 0, 3), Adu(0x03, 6, 0x00, 0x01, 0xFF, 0xFE, 0x80, 0x00)),
            (new(ModbusFunction.ReadInputRegisters, 4, 2), Adu(0x04, 4, 0x41, 0x48, 0x00, 0x00)),
            (new(ModbusFunction.WriteSingleCoil, 12, 1, 0xFF00), Adu(0x05, 0x00, 0x0C, 0xFF, 0x00)),
            (new(ModbusFunction.WriteSingleRegister, 300, 1, 0xBEEF), Adu(0x06, 0x01, 0x2C, 0xBE, 0xEF)),
            (new(ModbusFunction.WriteMultipleCoils, 19, 10), Adu(0x0F, 0x00, 0x13, 0x00, 0x0A)),
            (new(ModbusFunction.WriteMultipleRegisters, 1, 2), Adu(0x10, 0x00, 0x01, 0x00, 0x02)),
        };
        var big = new byte[2 + 250];
        big[0] = 0x03;
        big[1] = 250;
        seeds.Add((new(ModbusFunction.ReadHoldingRegisters, 0, 125), Adu(big)));
        (ModbusFunction, byte)[] refusals =
        [
            (ModbusFunction.ReadCoils, 1), (ModbusFunction.ReadDiscreteInputs, 2), (ModbusFunction.ReadHoldingRegisters, 2),
            (ModbusFunction.ReadInputRegisters, 3), (ModbusFunction.WriteSingleCoil, 10), (ModbusFunction.WriteSingleRegister, 4),
            (ModbusFunction.WriteMultipleCoils, 11), (ModbusFunction.WriteMultipleRegisters, 6),
        ];
        foreach (var (function, code) in refusals)
        {
            seeds.Add((new(function, 0, 1), Adu((byte)((byte)function | 0x80), code)));
        }

        return seeds;
    }

    /// <summary>Valid requests for every function code the server serves, plus unknown and exception function codes.</summary>
    public static IReadOnlyList<byte[]> RequestSeeds() =>
    [
        Adu(0x01, 0x00, 0x00, 0x00, 0x0A),
        Adu(0x02, 0x00, 0x10, 0x07, 0xD0),
        Adu(0x03, 0x00, 0x00, 0x00, 0x7D),
        Adu(0x04, 0x00, 0x05, 0x00, 0x02),
        Adu(0x05, 0x00, 0x0C, 0xFF, 0x00),
        Adu(0x06, 0x01, 0x2C, 0xBE, 0xEF),
        Adu(0x0F, 0x00, 0x13, 0x00, 0x0A, 0x02, 0xCD, 0x01),
        Adu(0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02),
        Adu(0x2B, 0x0E, 0x01, 0x00),
        Adu(0x83, 0x02),
    ];

    /// <summary>Runs the response parser; anything but a result or our two exception types escapes as a crash.</summary>
    public static Outcome ParseResponse(ModbusRequest request, byte[] frame)
    {
        try
        {
            var response = ModbusResponseParser.Parse(frame, request, TransactionId, UnitId);
            var count = response.Bits?.Length ?? response.Registers?.Length;
            if (count is not null && count != request.Quantity)
            {
                throw new InvalidOperationException($"Parser returned {count} values for quantity {request.Quantity}");
            }

            return Outcome.Parsed;
        }
        catch (ModbusProtocolException)
        {
            return Outcome.ProtocolError;
        }
        catch (ModbusDeviceException)
        {
            return Outcome.DeviceException;
        }
    }

    /// <summary>Runs the server's handler; it must not throw, and an answer must be a well-framed ADU echoing the transaction.</summary>
    public static int HandleRequest(ModbusRegisterBank bank, byte[] frame, byte[] response)
    {
        var length = ModbusRequestHandler.Handle(frame, response, bank);
        if (length != 0)
        {
            var header = MbapHeader.Read(response.AsSpan(0, length));
            if (header.PduLength + ModbusLimits.MbapLength != length || header.TransactionId != BinaryPrimitives.ReadUInt16BigEndian(frame))
            {
                throw new InvalidOperationException("Server answered with a malformed frame");
            }
        }

        return length;
    }

    /// <summary>
    /// Half of the cases are rewritten the way a reader delivers them: client and server read exactly the
    /// MBAP length, so a frame whose length disagrees with its size never reaches the PDU checks. Fixing the
    /// length up sends those cases past the header into the function-specific code.
    /// </summary>
    public static byte[] Framed(byte[] input, long caseNumber)
    {
        if (caseNumber % 2 == 0 || input.Length < ModbusLimits.MbapLength + 1 || input.Length > ModbusLimits.MaxAduLength)
        {
            return input;
        }

        var framed = (byte[])input.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(framed.AsSpan(4), (ushort)(input.Length - 6));
        return framed;
    }

    public static MutationEngine ResponseEngine(int randomSeed) => new([.. ResponseSeeds().Select(s => s.Response)], randomSeed, Fields);

    public static MutationEngine RequestEngine(int randomSeed) => new(RequestSeeds(), randomSeed, Fields);

    public static ModbusRegisterBank FuzzBank() => new(coils: 2000, discreteInputs: 2000, inputRegisters: 500, holdingRegisters: 500);

    private static byte[] Adu(params byte[] pdu)
    {
        var adu = new byte[ModbusLimits.MbapLength + pdu.Length];
        MbapHeader.Write(adu, TransactionId, UnitId, pdu.Length);
        pdu.CopyTo(adu, ModbusLimits.MbapLength);
        return adu;
    }
}
