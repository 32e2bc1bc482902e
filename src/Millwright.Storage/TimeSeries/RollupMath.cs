namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Bucket arithmetic shared by checkpoints (which write rollups) and queries (which read raw points). The increase
/// between two consecutive points belongs to the bucket of the later one, so the increases of buckets add up
/// across any regrouping, and minute rollups sum to the hour's.
/// </summary>
internal static class RollupMath
{
    public const long Minute = 60_000;
    public const long Hour = 3_600_000;

    /// <summary>Floor to a multiple of width, also for times before 1970; saturates at long.MinValue.</summary>
    public static long AlignDown(long timestamp, long width)
    {
        if (timestamp < long.MinValue + width)
        {
            return long.MinValue;
        }

        var remainder = timestamp % width;
        return remainder < 0 ? timestamp - remainder - width : timestamp - remainder;
    }

    /// <summary>
    /// How much a counter rose from one reading to the next: a drop is a wrap through the modulus when the series
    /// declares one, and otherwise a reset, after which the counter counted up from zero to the new value.
    /// </summary>
    public static double Rise(double previous, double current, double wrapModulus)
    {
        if (current >= previous)
        {
            return current - previous;
        }

        var wrapped = current + wrapModulus - previous;
        return wrapModulus > 0 && wrapped >= 0 ? wrapped : current;
    }

    /// <summary>
    /// Summarises sorted points into aligned buckets. <paramref name="previous"/> is the value of the point just
    /// before the first one (for the first point's rise), if any.
    /// </summary>
    public static void Summarise(
        ReadOnlySpan<long> times, ReadOnlySpan<double> values, double? previous, long width, SeriesKind kind, double wrapModulus, List<Rollup> output)
    {
        var counter = kind == SeriesKind.Counter;
        var i = 0;
        while (i < times.Length)
        {
            var bucket = AlignDown(times[i], width);
            var end = bucket + width;
            long count = 0;
            double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, increase = 0;
            var first = values[i];
            for (; i < times.Length && times[i] < end; i++)
            {
                var value = values[i];
                count++;
                min = Math.Min(min, value);
                max = Math.Max(max, value);
                sum += value;
                if (counter && previous is { } p)
                {
                    increase += Rise(p, value, wrapModulus);
                }

                previous = value;
            }

            output.Add(new Rollup(bucket, count, min, max, sum, first, values[i - 1], counter ? increase : null));
        }
    }

    /// <summary>Regroups bucket summaries (sorted, each within one wider bucket) into buckets of the given width.</summary>
    public static List<Rollup> Regroup(IEnumerable<Rollup> sorted, long width)
    {
        var result = new List<Rollup>();
        foreach (var rollup in sorted)
        {
            var bucket = AlignDown(rollup.Bucket, width);
            if (result.Count > 0 && result[^1].Bucket == bucket)
            {
                result[^1] = result[^1].Then(rollup);
            }
            else
            {
                result.Add(rollup with { Bucket = bucket });
            }
        }

        return result;
    }
}
