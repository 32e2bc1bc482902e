namespace Millwright.Learning.Risk;

/// <summary>
/// How far one part has degraded since it was fitted, from its indicator's readings alone (docs/predictive-maintenance.md):
/// the readings are cut into windows of <see cref="RiskOptions.WindowReadings"/>; the median of the first
/// <see cref="RiskOptions.BaselineWindows"/> windows' statistic is the part's healthy baseline; the excess of a window is
/// its statistic minus the baseline, in the indicator's direction. <see cref="Excess"/> is that of the latest windows,
/// <see cref="Rate"/> how fast it grows per running hour (the larger of the recent trend and the average since the
/// baseline), <see cref="RunningHours"/> the running time the readings cover, <see cref="Baseline"/> the healthy level
/// measured from (NaN when unknown).
/// </summary>
public sealed record Degradation(double Excess, double Rate, double RunningHours, int Windows, double Baseline = double.NaN)
{
    public static readonly Degradation None = new(0, 0, 0, 0);

    /// <summary>True once there are readings past the baseline: before that a part counts as new.</summary>
    public bool Known => Windows > 0;

    /// <summary>
    /// The degradation of a part from its readings since it was fitted (oldest first). A part whose fitting is not in
    /// the record (it was in place before the readings begin) has no healthy start of its own: pass the kind's healthy
    /// level as <paramref name="healthy"/> and every window is measured from it; without one it counts as new.
    /// </summary>
    public static Degradation Of(IReadOnlyList<IndicatorReading> readings, DegradationIndicator indicator, RiskOptions options, double? healthy = null)
    {
        var windows = new List<(double Hours, double Value)>();
        var values = new List<double>(options.WindowReadings);
        double hours = 0;
        long last = long.MinValue;
        foreach (var reading in readings)
        {
            if (last != long.MinValue && reading.AtMs > last)
            {
                // Time between readings counts as running only up to MaxGap: the machine was not running in between.
                hours += Math.Min(reading.AtMs - last, options.MaxGap.TotalMilliseconds) / 3_600_000.0;
            }

            last = Math.Max(last, reading.AtMs);
            if (!indicator.Counts(reading.Value))
            {
                continue;
            }

            values.Add(reading.Value);
            if (values.Count == options.WindowReadings)
            {
                windows.Add((hours, Statistic(values, indicator.Statistic)));
                values.Clear();
            }
        }

        var skip = healthy is null ? options.BaselineWindows : 0;
        if (windows.Count <= skip)
        {
            return new Degradation(0, 0, hours, 0);
        }

        var baseline = healthy ?? Median(windows.Take(options.BaselineWindows).Select(w => w.Value));
        var excess = windows.Skip(skip).Select(w => (w.Hours, Value: indicator.Direction * (w.Value - baseline))).ToList();
        var current = excess.TakeLast(options.CurrentWindows).Average(w => w.Value);
        var sinceBaseline = excess[^1].Hours - (skip > 0 ? windows[skip - 1].Hours : 0);
        // The average rate since the baseline needs the part's own healthy start: a part worn before its readings
        // began would seem to have worn all that in the hours since.
        var average = skip > 0 && sinceBaseline > 0 ? Math.Max(0, current) / sinceBaseline : 0;
        var rate = Math.Max(average, Trend(excess.TakeLast(options.TrendWindows).ToList()));
        return new Degradation(current, rate, hours, excess.Count, baseline);
    }

    private static double Statistic(List<double> values, IndicatorStatistic statistic)
    {
        var mean = values.Average();
        return statistic == IndicatorStatistic.Mean ? mean : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Least-squares slope per running hour, never negative (wear does not heal).</summary>
    private static double Trend(List<(double Hours, double Value)> points)
    {
        if (points.Count < 3)
        {
            return 0;
        }

        var (mx, my) = (points.Average(p => p.Hours), points.Average(p => p.Value));
        var sxx = points.Sum(p => (p.Hours - mx) * (p.Hours - mx));
        return sxx <= 0 ? 0 : Math.Max(0, points.Sum(p => (p.Hours - mx) * (p.Value - my)) / sxx);
    }
}
