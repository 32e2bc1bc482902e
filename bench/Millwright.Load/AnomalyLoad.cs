using System.Diagnostics;
using System.Globalization;
using Millwright.Learning;

namespace Millwright.Bench;

/// <summary>
/// The anomaly detector alone: <c>series</c> detectors, each fed one reading per simulated second for
/// <c>seconds</c> seconds, series split over the processor's cores. Reports the sustained readings per second
/// against the real-time need (series × 1 Hz) and the memory per series (managed heap growth and saved state).
/// </summary>
internal static class AnomalyLoad
{
    public static string Run(int series, int seconds, Action<string> progress, CancellationToken ct)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var detectors = new AnomalyDetector[series];
        for (var i = 0; i < series; i++)
        {
            detectors[i] = new AnomalyDetector();
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var start = 1_764_979_200_000L;
        var workers = Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        for (var second = 0; second < seconds; second++)
        {
            ct.ThrowIfCancellationRequested();
            var t = start + second * 1000L;
            Parallel.For(0, workers, w =>
            {
                for (var i = w; i < series; i += workers)
                {
                    detectors[i].Observe(t, Value(i, second));
                }
            });
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                progress(string.Create(CultureInfo.InvariantCulture, $"  {second + 1}/{seconds} simulated seconds, {(second + 1.0) * series / clock.Elapsed.TotalSeconds:N0} readings/s"));
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var rate = (double)series * seconds / elapsed;
        var heapPerSeries = (double)(GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / series;
        var statePerSeries = DetectorState.Save(detectors[0]).Length;
        GC.KeepAlive(detectors);
        return string.Create(CultureInfo.InvariantCulture,
            $"anomaly detector: {series} series x {seconds} s at 1 Hz on {workers} cores: {rate:N0} readings/s sustained " +
            $"({rate / series:0.0}x real time), heap {heapPerSeries:N0} B/series (fresh {(double)(heapAfter - heapBefore) / series:N0}), saved state {statePerSeries} B/series");
    }

    /// <summary>A mix of behaviours: steady noise, a slow daily wave, a step every few hours, and rare spikes.</summary>
    private static double Value(int series, int second)
    {
        var h = (uint)(series * 2654435761u) ^ (uint)(second * 40503u);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        var noise = (h & 0xFFFF) / 65536.0 - 0.5;
        var level = 20 + series % 50 + 5 * Math.Sin(2 * Math.PI * second / 86_400.0 + series);
        var step = (second / 7200 + series) % 3 == 0 ? 3 : 0;
        var spike = (h >> 16) % 50_000 == 0 ? 25 : 0;
        return level + noise + step + spike;
    }
}
