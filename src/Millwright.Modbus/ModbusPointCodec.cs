namespace Millwright.Modbus;

/// <summary>Raw registers to engineering values and back.</summary>
public static class ModbusPointCodec
{
    /// <summary>Decodes a register point from its registers (at least <see cref="ModbusPoint.Width"/> of them).</summary>
    public static double Decode(ModbusPoint point, ReadOnlySpan<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(point);
        double raw = point.DataType switch
        {
            ModbusDataType.Int16 => (short)registers[0],
            ModbusDataType.UInt16 => registers[0],
            ModbusDataType.Int32 => (int)Combine(point, registers),
            ModbusDataType.UInt32 => Combine(point, registers),
            ModbusDataType.Float32 => BitConverter.UInt32BitsToSingle(Combine(point, registers)),
            _ => throw new ArgumentException($"{point.Tag} is a bit point", nameof(point)),
        };
        return (raw * point.Scale) + point.Offset;
    }

    public static double DecodeBool(bool bit) => bit ? 1 : 0;

    /// <summary>The inverse of <see cref="Decode"/>; integer types round to nearest and must fit their range.</summary>
    public static ushort[] EncodeRegisters(ModbusPoint point, double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        var raw = (value - point.Offset) / point.Scale;
        uint bits = point.DataType switch
        {
            ModbusDataType.Int16 => (ushort)(short)CheckedRound(point, raw, short.MinValue, short.MaxValue),
            ModbusDataType.UInt16 => (ushort)CheckedRound(point, raw, ushort.MinValue, ushort.MaxValue),
            ModbusDataType.Int32 => (uint)(int)CheckedRound(point, raw, int.MinValue, int.MaxValue),
            ModbusDataType.UInt32 => (uint)CheckedRound(point, raw, uint.MinValue, uint.MaxValue),
            ModbusDataType.Float32 => BitConverter.SingleToUInt32Bits((float)raw),
            _ => throw new ArgumentException($"{point.Tag} is a bit point", nameof(point)),
        };
        if (point.Width == 1)
        {
            return [(ushort)bits];
        }

        var (high, low) = ((ushort)(bits >> 16), (ushort)bits);
        return point.WordOrder == ModbusWordOrder.BigEndian ? [high, low] : [low, high];
    }

    public static bool EncodeBool(ModbusPoint point, double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        return value != 0;
    }

    private static uint Combine(ModbusPoint point, ReadOnlySpan<ushort> registers) => point.WordOrder == ModbusWordOrder.BigEndian
        ? ((uint)registers[0] << 16) | registers[1]
        : ((uint)registers[1] << 16) | registers[0];

    private static long CheckedRound(ModbusPoint point, double raw, long min, long max)
    {
        var rounded = Math.Round(raw);
        if (double.IsNaN(rounded) || rounded < min || rounded > max)
        {
            throw new ArgumentOutOfRangeException(nameof(raw), raw, $"{point.Tag}: raw value does not fit {point.DataType}");
        }

        return (long)rounded;
    }
}
