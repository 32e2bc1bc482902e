namespace Millwright.Simulator.Fleet;

/// <summary>Thread-safe latencies in 1 ms buckets up to a minute (later ones count in the last bucket), for percentiles without keeping every sample.</summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _buckets = new long[60_001];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var ms = (int)Math.Clamp(latency.TotalMilliseconds, 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[ms]);
        Interlocked.Increment(ref _count);
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the samples fall, in whole ms (upper edge of its bucket); 0 when empty.</summary>
    public double Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return i + 1;
            }
        }

        return _buckets.Length;
    }
}
