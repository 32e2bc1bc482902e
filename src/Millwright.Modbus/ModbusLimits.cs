namespace Millwright.Modbus;

/// <summary>Quantity and size limits from the application protocol (section 6) and the TCP guide (section 3.1.3).</summary>
public static class ModbusLimits
{
    /// <summary>6.1 / 6.2: 1..2000 coils or discrete inputs per read.</summary>
    public const int MaxReadBits = 2000;

    /// <summary>6.3 / 6.4: 1..125 registers per read.</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>6.11: 1..1968 coils per write (0x7B0).</summary>
    public const int MaxWriteBits = 1968;

    /// <summary>6.12: 1..123 registers per write (0x7B).</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>4.1: a PDU is at most 253 bytes (the RS-485 ADU limit of 256 minus address and CRC).</summary>
    public const int MaxPduLength = 253;

    /// <summary>MBAP header: transaction id, protocol id, length, unit id.</summary>
    public const int MbapLength = 7;

    /// <summary>The MBAP length field counts the unit id and the PDU.</summary>
    public const int MaxMbapLengthField = MaxPduLength + 1;

    public const int MaxAduLength = MbapLength + MaxPduLength;

    /// <summary>6.5: the only two values a single coil write may carry.</summary>
    public const ushort CoilOn = 0xFF00;
    public const ushort CoilOff = 0x0000;
}
