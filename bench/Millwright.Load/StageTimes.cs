using System.Diagnostics.Metrics;

namespace Millwright.Bench;

/// <summary>
/// Where publish → WebSocket time goes, for <c>bench ingest --live</c>: the platform's own histograms, read in-process
/// while the watcher records. A batch's commit (<c>millwright.telemetry.commit</c>, per batch) and the live feed's lag
/// from the publish that gave a connection something to send until its socket took it (<c>millwright.live.lag</c>, per
/// send), and the checkpoint slices the writer runs between commits (<c>millwright.timeseries.checkpoint.duration</c>),
/// so a long tail can be told apart as storage's or delivery's.
/// </summary>
internal sealed class StageTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _commitMs = [];
    private readonly List<double> _liveLagMs = [];
    private readonly List<double> _checkpointMs = [];
    private volatile bool _recording;

    public StageTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "millwright.telemetry.commit" or "millwright.live.lag" or "millwright.timeseries.checkpoint.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (!_recording)
            {
                return;
            }

            // The commit is recorded in seconds, the lag and the checkpoint in milliseconds.
            var (list, ms) = instrument.Name switch
            {
                "millwright.telemetry.commit" => (_commitMs, value * 1000),
                "millwright.live.lag" => (_liveLagMs, value),
                _ => (_checkpointMs, value),
            };
            lock (list)
            {
                list.Add(ms);
            }
        });
        _listener.Start();
    }

    public void Record() => _recording = true;

    public (double CommitP99, double CommitMax, double LagP99, double LagMax, double CheckpointP99, double CheckpointMax) Figures() =>
        (Percentile(_commitMs, 0.99), Percentile(_commitMs, 1), Percentile(_liveLagMs, 0.99), Percentile(_liveLagMs, 1), Percentile(_checkpointMs, 0.99), Percentile(_checkpointMs, 1));

    public void Dispose() => _listener.Dispose();

    private static double Percentile(List<double> values, double p)
    {
        double[] sorted;
        lock (values)
        {
            sorted = [.. values.Order()];
        }

        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }
}
