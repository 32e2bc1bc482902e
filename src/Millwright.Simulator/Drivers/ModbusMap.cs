using Millwright.Modbus;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// The register map a simulated Modbus machine serves, derived from its type: bools as coils, numbers as
/// holding registers in ABCD order (float32 for floats, uint32 for counters, int16 for codes). Strings have
/// no register form here and are left out. The same map is registered with the platform for polling.
/// </summary>
internal static class ModbusMap
{
    public static IReadOnlyList<ModbusPoint> For(MachineTypeDefinition type)
    {
        var points = new List<ModbusPoint>();
        ushort register = 0;
        ushort coil = 0;
        foreach (var tag in type.Tags)
        {
            var dataType = tag.DataType switch
            {
                "bool" => ModbusDataType.Bool,
                "float" => ModbusDataType.Float32,
                "int" when tag.IsCounter => ModbusDataType.UInt32,
                "int" => ModbusDataType.Int16,
                _ => (ModbusDataType?)null,
            };
            if (dataType is not { } t)
            {
                continue;
            }

            var point = t == ModbusDataType.Bool
                ? new ModbusPoint(tag.Name, ModbusArea.Coil, coil++, t)
                : new ModbusPoint(tag.Name, ModbusArea.HoldingRegister, register, t);
            register += (ushort)(t == ModbusDataType.Bool ? 0 : point.Width);
            points.Add(point);
        }

        return points;
    }

    /// <summary>The point as the platform's registry contract spells it (PUT /api/v1/machines/{id}/modbus).</summary>
    public static object AsContract(ModbusPoint point) => new
    {
        tag = point.Tag,
        area = point.Area switch
        {
            ModbusArea.Coil => "coil",
            ModbusArea.DiscreteInput => "discrete",
            ModbusArea.InputRegister => "input",
            _ => "holding",
        },
        address = point.Address,
        dataType = point.DataType.ToString().ToLowerInvariant(),
        wordOrder = point.WordOrder == ModbusWordOrder.BigEndian ? "abcd" : "cdab",
        scale = point.Scale,
        offset = point.Offset,
    };
}
