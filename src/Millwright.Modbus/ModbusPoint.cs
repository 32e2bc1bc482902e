namespace Millwright.Modbus;

/// <summary>One tag of a machine's register map: value = raw * Scale + Offset (bits read as 0 or 1, unscaled).</summary>
public sealed record ModbusPoint(
    string Tag,
    ModbusArea Area,
    ushort Address,
    ModbusDataType DataType,
    ModbusWordOrder WordOrder = ModbusWordOrder.BigEndian,
    double Scale = 1,
    double Offset = 0)
{
    /// <summary>Registers (or bits) the point occupies.</summary>
    public int Width => DataType is ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 ? 2 : 1;

    public bool IsBit => Area is ModbusArea.Coil or ModbusArea.DiscreteInput;
}
