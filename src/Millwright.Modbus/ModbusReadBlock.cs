namespace Millwright.Modbus;

/// <summary>One read request of a register map's plan and the points it carries.</summary>
public sealed record ModbusReadBlock(ModbusArea Area, ushort Address, ushort Quantity, IReadOnlyList<ModbusPoint> Points)
{
    public ModbusFunction Function => Area switch
    {
        ModbusArea.Coil => ModbusFunction.ReadCoils,
        ModbusArea.DiscreteInput => ModbusFunction.ReadDiscreteInputs,
        ModbusArea.InputRegister => ModbusFunction.ReadInputRegisters,
        _ => ModbusFunction.ReadHoldingRegisters,
    };

    public void DecodeRegisters(ReadOnlySpan<ushort> registers, IDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var point in Points)
        {
            values[point.Tag] = ModbusPointCodec.Decode(point, registers.Slice(point.Address - Address, point.Width));
        }
    }

    public void DecodeBits(ReadOnlySpan<bool> bits, IDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var point in Points)
        {
            values[point.Tag] = ModbusPointCodec.DecodeBool(bits[point.Address - Address]);
        }
    }
}
