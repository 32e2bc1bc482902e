namespace Millwright.Modbus;

/// <summary>
/// Register map templates for power meters, so a meter is connected by naming its map instead of typing registers
/// (docs/energy.md). "power-meter" is the layout the common DIN-rail meters of the Eastron SDM series use and many
/// others copy: input registers, IEEE 754 float32, high word first; power in W (read as kW), energy in kWh.
/// "power-meter-int" is the integer layout of simpler meters: holding registers, uint32 high word first, power in W
/// and energy in whole kWh (a counter that rolls over at 2^32: declare wrap 4294967296 on the type's energy tag).
/// </summary>
public static class PowerMeterMap
{
    public static readonly IReadOnlyList<ModbusPoint> FloatRegisters =
    [
        new("voltage", ModbusArea.InputRegister, 0, ModbusDataType.Float32),         // phase 1 line-to-neutral, V
        new("current", ModbusArea.InputRegister, 6, ModbusDataType.Float32),         // phase 1, A
        new("power", ModbusArea.InputRegister, 52, ModbusDataType.Float32, Scale: 0.001), // total system power, W → kW
        new("power_factor", ModbusArea.InputRegister, 62, ModbusDataType.Float32),   // total system power factor
        new("frequency", ModbusArea.InputRegister, 70, ModbusDataType.Float32),      // Hz
        new("energy", ModbusArea.InputRegister, 72, ModbusDataType.Float32),         // total import active energy, kWh
    ];

    public static readonly IReadOnlyList<ModbusPoint> IntRegisters =
    [
        new("voltage", ModbusArea.HoldingRegister, 0, ModbusDataType.UInt16, Scale: 0.1),   // 0.1 V
        new("current", ModbusArea.HoldingRegister, 1, ModbusDataType.UInt16, Scale: 0.01),  // 0.01 A
        new("power", ModbusArea.HoldingRegister, 2, ModbusDataType.UInt32, Scale: 0.001),   // W → kW
        new("energy", ModbusArea.HoldingRegister, 4, ModbusDataType.UInt32),                // whole kWh
    ];

    /// <summary>The templates by the name a registry request gives.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<ModbusPoint>> Templates = new Dictionary<string, IReadOnlyList<ModbusPoint>>(StringComparer.Ordinal)
    {
        ["power-meter"] = FloatRegisters,
        ["power-meter-int"] = IntRegisters,
    };
}
