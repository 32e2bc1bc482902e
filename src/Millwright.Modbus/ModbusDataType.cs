namespace Millwright.Modbus;

/// <summary>How a point's raw bits are read: one bit, one 16-bit register, or two registers for 32-bit types.</summary>
// The names are the register map vocabulary (int16, uint16, ...) that plant files spell out.
#pragma warning disable CA1720
public enum ModbusDataType
{
    Bool,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
}
#pragma warning restore CA1720
