namespace Millwright.Modbus;

/// <summary>
/// Register order of 32-bit values. Modbus itself defines only 16-bit registers (application protocol 4.2,
/// big-endian bytes); devices disagree on which register holds the high word.
/// </summary>
public enum ModbusWordOrder
{
    /// <summary>ABCD: the high word at the lower address (Modicon convention).</summary>
    BigEndian,

    /// <summary>CDAB: the low word at the lower address (many PLCs and meters).</summary>
    WordSwapped,
}
