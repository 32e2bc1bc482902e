using System.Diagnostics;
using System.Globalization;

namespace Millwright.Bench.Cluster;

/// <summary>What the cluster scenario saw: points sent, acknowledged, found in the store, lost and doubled, and the takeover time.</summary>
internal sealed record ClusterOutcome(
    string Cluster,
    long Sent, long Acked, long Stored, long Lost, long Duplicates, double? TakeoverSeconds,
    long Unacknowledged, long Refusals, long Reconnects, TimeSpan SendingTime, long FaultAt, long RecoveredAt,
    IReadOnlyList<(long At, double Milliseconds)> Latencies, long Started, long Measured)
{
    /// <summary>The refusals devices got, by reason code.</summary>
    public IReadOnlyDictionary<Millwright.Mqtt.ReasonCode, int> RefusedWith { get; init; } = new Dictionary<Millwright.Mqtt.ReasonCode, int>();

    /// <summary>The last line: <c>acked N, stored M, lost L, duplicates D, takeover T s</c>.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"acked {Acked}, stored {Stored}, lost {Lost}, duplicates {Duplicates}, takeover {(TakeoverSeconds is { } t ? t.ToString("F1", CultureInfo.InvariantCulture) : "-")} s");

    /// <summary>Rates and publish → PUBACK percentiles: measured, per 5 s, before the fault and after it was over.</summary>
    public IEnumerable<string> Details()
    {
        yield return string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent} in {SendingTime.TotalSeconds:F1} s with the warm-up ({Sent / SendingTime.TotalSeconds:F0} points/s), acknowledged {Acked / SendingTime.TotalSeconds:F0} points/s; never acknowledged {Unacknowledged}, refusals {Refusals}, reconnects {Reconnects}");
        if (RefusedWith.Count > 0)
        {
            yield return "refusals by reason code: " + string.Join(", ", RefusedWith.OrderBy(r => r.Key).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} (0x{(byte)r.Key:X2}) {r.Value}")));
        }

        yield return Percentiles("publish -> PUBACK, measured (after the warm-up)", Latencies.Where(l => l.At >= Measured).Select(l => l.Milliseconds));
        foreach (var slot in Timeline(Started))
        {
            yield return slot;
        }

        if (FaultAt != 0)
        {
            yield return Percentiles("publish -> PUBACK, measured before the fault", Latencies.Where(l => l.At >= Measured && l.At < FaultAt).Select(l => l.Milliseconds));
            var after = RecoveredAt + (5 * Stopwatch.Frequency);
            yield return Percentiles("publish -> PUBACK, acknowledged from 5 s after the fault was over (takeover, resume or restart)", Latencies.Where(l => l.At > after).Select(l => l.Milliseconds));
        }
    }

    /// <summary>p50 and p99 of the points acknowledged in each 5 s of the run, to see warm-up, backlog and takeover apart.</summary>
    public IEnumerable<string> Timeline(long started)
    {
        var step = 5 * Stopwatch.Frequency;
        foreach (var slot in Latencies.GroupBy(l => (l.At - started) / step).OrderBy(g => g.Key))
        {
            yield return Percentiles(string.Create(CultureInfo.InvariantCulture, $"  {slot.Key * 5,3}-{(slot.Key + 1) * 5} s"), slot.Select(l => l.Milliseconds));
        }
    }

    private static string Percentiles(string what, IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        if (sorted.Count == 0)
        {
            return $"{what}: none";
        }

        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        return string.Create(CultureInfo.InvariantCulture, $"{what}: p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms ({sorted.Count} points)");
    }
}
