namespace Millwright.Learning;

/// <summary>
/// The usual value and spread per time-of-day bucket. Weights are per elapsed time, not per reading, so a change
/// of sampling rate does not change how fast the pattern learns.
/// </summary>
internal sealed class DailyPattern
{
    public const long DayMs = 86_400_000;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _weight;

    public DailyPattern(int buckets)
    {
        _mean = new double[buckets];
        _variance = new double[buckets];
        _weight = new double[buckets];
    }

    public int Buckets => _mean.Length;

    public double[] Mean => _mean;

    public double[] Variance => _variance;

    /// <summary>Per bucket, the share of a day's worth of readings seen (1 = one full day's visit).</summary>
    public double[] Weight => _weight;

    public int BucketOf(long ms) => (int)(((ms % DayMs) + DayMs) % DayMs * _mean.Length / DayMs);

    public bool Knows(int bucket) => _weight[bucket] >= 1.5;

    public void Learn(int bucket, double value, double intervalMs, double patternDays)
    {
        var bucketMs = (double)DayMs / _mean.Length;
        var share = Math.Min(1, intervalMs / bucketMs);
        var seen = _weight[bucket];
        // Until a bucket has a few days of history it averages equally; then it forgets over patternDays days.
        var alpha = Math.Max(share / Math.Max(seen + share, share), share / patternDays);
        alpha = Math.Min(alpha, 1);
        var delta = value - _mean[bucket];
        _mean[bucket] += alpha * delta;
        _variance[bucket] = (1 - alpha) * (_variance[bucket] + alpha * delta * delta);
        _weight[bucket] = seen + share;
    }
}
