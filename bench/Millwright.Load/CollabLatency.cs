using System.Collections.Concurrent;
using System.Diagnostics;
using Millwright.Design;

namespace Millwright.Bench;

/// <summary>
/// What the collab bench measures per edit: when its author sent it, when the author's acknowledgement came, and when
/// the last of the other editors received it ("seen by all others"). An edit is done when every other editor saw it.
/// </summary>
internal sealed class CollabLatency(int receivers)
{
    private readonly ConcurrentDictionary<OpStamp, Edit> _edits = new();
    private readonly ConcurrentDictionary<OpStamp, long> _unacked = new();
    private readonly ConcurrentBag<double> _seen = [];
    private readonly ConcurrentBag<double> _acked = [];
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public int Done => _seen.Count;

    /// <summary>Edits some other editor never received (counted at the end).</summary>
    public int Unseen => _edits.Count;

    public void Sending(IReadOnlyList<DesignOp> ops)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var op in ops)
        {
            _edits[op.Stamp] = new Edit(now, receivers);
            _unacked[op.Stamp] = now;
            Interlocked.Increment(ref _sent);
        }
    }

    public void Acked(string replica, IEnumerable<long> counters)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var counter in counters)
        {
            if (_unacked.TryRemove(new OpStamp(counter, replica), out var sentAt))
            {
                _acked.Add(Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds);
            }
        }
    }

    /// <summary>One editor received <paramref name="ops"/> from others; an edit all others received is measured.</summary>
    public void Received(IReadOnlyList<DesignOp> ops)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var op in ops)
        {
            if (_edits.TryGetValue(op.Stamp, out var edit) && Interlocked.Decrement(ref edit.Remaining) == 0 && _edits.TryRemove(op.Stamp, out _))
            {
                _seen.Add(Stopwatch.GetElapsedTime(edit.SentAt, now).TotalMilliseconds);
            }
        }
    }

    public (double P50, double P99, double Max) SeenByAll() => Percentiles(_seen);

    public (double P50, double P99, double Max) Ack() => Percentiles(_acked);

    private static (double, double, double) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return (At(0.5), At(0.99), sorted[^1]);
    }

    private sealed class Edit(long sentAt, int remaining)
    {
        public long SentAt { get; } = sentAt;

        public int Remaining = remaining;
    }
}
