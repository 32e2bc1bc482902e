namespace Millwright.Modbus;

/// <summary>
/// A machine's points, checked once, and the read plan: per area, points sorted by address and merged into
/// as few requests as the quantity limits allow (125 registers, 2000 bits; application protocol 6.1-6.4).
/// Points merge when they touch or overlap, or lie at most <c>maxGap</c> addresses apart; the default 0
/// never reads addresses the map does not name, since many devices refuse holes with IllegalDataAddress.
/// </summary>
public sealed class ModbusRegisterMap
{
    public ModbusRegisterMap(IEnumerable<ModbusPoint> points, int maxGap = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        Points = [.. points];
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in Points)
        {
            Validate(point);
            if (!tags.Add(point.Tag))
            {
                throw new ArgumentException($"Tag '{point.Tag}' appears twice", nameof(points));
            }
        }

        Plan = BuildPlan(Points, maxGap);
    }

    public IReadOnlyList<ModbusPoint> Points { get; }

    public IReadOnlyList<ModbusReadBlock> Plan { get; }

    private static void Validate(ModbusPoint point)
    {
        if (string.IsNullOrWhiteSpace(point.Tag))
        {
            throw new ArgumentException("A point needs a tag name");
        }

        if (point.IsBit != (point.DataType == ModbusDataType.Bool))
        {
            throw new ArgumentException($"{point.Tag}: {point.DataType} does not fit the {point.Area} area (bool for coils and discrete inputs, numbers for registers)");
        }

        if (point.Address + point.Width > 0x10000)
        {
            throw new ArgumentException($"{point.Tag}: address {point.Address} + {point.Width} runs past 65535");
        }

        if (!double.IsFinite(point.Scale) || point.Scale == 0 || !double.IsFinite(point.Offset))
        {
            throw new ArgumentException($"{point.Tag}: scale must be finite and non-zero, offset finite");
        }
    }

    private static List<ModbusReadBlock> BuildPlan(IReadOnlyList<ModbusPoint> points, int maxGap)
    {
        var plan = new List<ModbusReadBlock>();
        foreach (var area in points.Select(p => p.Area).Distinct().Order())
        {
            var limit = area is ModbusArea.Coil or ModbusArea.DiscreteInput ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters;
            var sorted = points.Where(p => p.Area == area).OrderBy(p => p.Address).ThenByDescending(p => p.Width);
            var current = new List<ModbusPoint>();
            int start = 0, end = 0;
            foreach (var point in sorted)
            {
                var pointEnd = point.Address + point.Width;
                if (current.Count > 0 && point.Address <= end + maxGap && Math.Max(end, pointEnd) - start <= limit)
                {
                    current.Add(point);
                    end = Math.Max(end, pointEnd);
                    continue;
                }

                if (current.Count > 0)
                {
                    plan.Add(new ModbusReadBlock(area, (ushort)start, (ushort)(end - start), current));
                }

                current = [point];
                (start, end) = (point.Address, pointEnd);
            }

            if (current.Count > 0)
            {
                plan.Add(new ModbusReadBlock(area, (ushort)start, (ushort)(end - start), current));
            }
        }

        return plan;
    }
}
