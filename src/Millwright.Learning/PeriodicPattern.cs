namespace Millwright.Learning;

/// <summary>
/// The usual value and spread per bucket of a period: time of day (the daily view) or day of the week and time of
/// day (the weekly view). Weights are per elapsed time, not per reading, so a change of sampling rate does not change
/// how fast the pattern learns.
/// </summary>
internal sealed class PeriodicPattern
{
    public const long DayMs = 86_400_000;
    public const long WeekMs = 7 * DayMs;
    private readonly long _periodMs;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _weight;

    public PeriodicPattern(int buckets, long periodMs = DayMs)
    {
        _periodMs = periodMs;
        _mean = new double[buckets];
        _variance = new double[buckets];
        _weight = new double[buckets];
    }

    public int Buckets => _mean.Length;

    public double[] Mean => _mean;

    public double[] Variance => _variance;

    /// <summary>Per bucket, the share of a period's worth of readings seen (1 = one full visit).</summary>
    public double[] Weight => _weight;

    public int BucketOf(long ms) => (int)(((ms % _periodMs) + _periodMs) % _periodMs * _mean.Length / _periodMs);

    public bool Knows(int bucket) => _weight[bucket] >= 1.5;

    public void Learn(int bucket, double value, double intervalMs, double patternPeriods)
    {
        var bucketMs = (double)_periodMs / _mean.Length;
        var share = Math.Min(1, intervalMs / bucketMs);
        var seen = _weight[bucket];
        // Until a bucket has a few periods of history it averages equally; then it forgets over patternPeriods periods.
        var alpha = Math.Max(share / Math.Max(seen + share, share), share / patternPeriods);
        alpha = Math.Min(alpha, 1);
        var delta = value - _mean[bucket];
        _mean[bucket] += alpha * delta;
        _variance[bucket] = (1 - alpha) * (_variance[bucket] + alpha * delta * delta);
        _weight[bucket] = seen + share;
    }
}
