using System.Diagnostics.Metrics;
using System.Globalization;

namespace Millwright.Bench;

/// <summary>
/// Where publish → WebSocket time goes, for <c>bench ingest --live</c>: the platform's own histograms, read in-process
/// while the watcher records, and the GC's pauses. The oldest message's wait in the queue per batch
/// (<c>millwright.telemetry.queue.wait</c>), the batch's commit (<c>millwright.telemetry.commit</c>) and its post-commit
/// observers (<c>millwright.telemetry.observe</c>), the store's writer lock by the work that waited for it and held it
/// (<c>millwright.timeseries.writer.wait</c>/<c>.held</c>: append, slice after a commit, periodic checkpoint, retention),
/// SQLite's write turn, the WAL copy, the checkpoint slices, and the live feed's lag from the publish to the feed
/// until the socket took it (<c>millwright.live.lag</c>), so a long tail can be told apart as storage's or delivery's.
/// </summary>
internal sealed class StageTimes : IDisposable
{
    // Instrument → how to show it and its unit in ms; the work tag, where there is one, splits it.
    private static readonly Dictionary<string, (string Label, double ToMs)> Shown = new()
    {
        ["millwright.telemetry.queue.wait"] = ("queue wait", 1000),
        ["millwright.telemetry.commit"] = ("batch commit", 1000),
        ["millwright.telemetry.observe"] = ("observers", 1000),
        ["millwright.timeseries.writer.wait"] = ("writer lock wait", 1),
        ["millwright.timeseries.writer.held"] = ("writer lock held", 1),
        ["millwright.timeseries.turn.wait"] = ("SQLite turn wait", 1),
        ["millwright.timeseries.wal.copy"] = ("WAL copy", 1),
        ["millwright.timeseries.checkpoint.duration"] = ("checkpoint slice", 1),
        ["millwright.live.lag"] = ("live lag (publish to the feed → socket)", 1),
    };

    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, List<double>> _values = [];
    private readonly List<double> _gcPauses = [];
    private readonly Thread _gcWatch;
    private volatile bool _recording;
    private volatile bool _disposed;

    public StageTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Shown.ContainsKey(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (!_recording)
            {
                return;
            }

            var (label, toMs) = Shown[instrument.Name];
            foreach (var tag in tags)
            {
                if (tag.Key == "work")
                {
                    label += $" ({tag.Value})";
                }
            }

            lock (_values)
            {
                if (!_values.TryGetValue(label, out var list))
                {
                    _values[label] = list = [];
                }

                list.Add(value * toMs);
            }
        });
        _listener.Start();
        _gcWatch = new Thread(WatchGc) { IsBackground = true, Name = "bench GC pauses" };
        _gcWatch.Start();
    }

    public void Record() => _recording = true;

    /// <summary>Each stage as count, p99 and max, and the GC's pauses.</summary>
    public string Figures()
    {
        var parts = new List<string>();
        lock (_values)
        {
            foreach (var (label, list) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                parts.Add(Describe(label, list));
            }
        }

        lock (_gcPauses)
        {
            parts.Add(Describe("GC pause", _gcPauses) + string.Create(CultureInfo.InvariantCulture, $", total {_gcPauses.Sum():F0} ms"));
        }

        return string.Join("; ", parts);
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private static string Describe(string label, List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0
            ? $"{label}: none"
            : string.Create(CultureInfo.InvariantCulture, $"{label} ×{sorted.Length:N0} p50 {sorted[sorted.Length / 2]:F1} ms, p99 {sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]:F1} ms, max {sorted[^1]:F1} ms");
    }

    // The runtime keeps the pause of the last GC of each kind; polled every few ms, that misses only GCs closer together.
    private void WatchGc()
    {
        var seen = new long[3];
        var kinds = new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background };
        while (!_disposed)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                var info = GC.GetGCMemoryInfo(kinds[k]);
                if (info.Index > seen[k])
                {
                    seen[k] = info.Index;
                    if (_recording)
                    {
                        lock (_gcPauses)
                        {
                            _gcPauses.Add(info.PauseDurations[0].TotalMilliseconds + info.PauseDurations[1].TotalMilliseconds);
                        }
                    }
                }
            }

            Thread.Sleep(5);
        }
    }
}
