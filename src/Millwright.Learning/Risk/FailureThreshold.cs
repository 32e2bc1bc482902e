namespace Millwright.Learning.Risk;

/// <summary>
/// The degradation at which parts of a kind fail, learned from the excess each failed part had reached at its
/// failure: a log-normal fitted to those excesses (parts fail at different wear, and excesses are positive and skewed).
/// </summary>
public sealed record FailureThreshold(double LogMean, double LogSpread, int Failures)
{
    /// <summary>The fitted threshold, or null with fewer than <see cref="RiskOptions.MinFailures"/> failures to learn from.</summary>
    public static FailureThreshold? Learn(IEnumerable<double> excessesAtFailure, RiskOptions options)
    {
        var logs = excessesAtFailure.Where(double.IsFinite).Select(e => Math.Log(Math.Max(e, 1e-6))).ToList();
        if (logs.Count < options.MinFailures)
        {
            return null;
        }

        var mean = logs.Average();
        var spread = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / Math.Max(1, logs.Count - 1));
        return new FailureThreshold(mean, Math.Max(spread, options.MinLogSpread), logs.Count);
    }

    /// <summary>The median excess at failure.</summary>
    public double Median => Math.Exp(LogMean);

    /// <summary>Share of parts that would have failed by the time their excess reached <paramref name="excess"/>.</summary>
    public double FailedBy(double excess) => excess <= 0 ? 0 : Normal.Cdf((Math.Log(excess) - LogMean) / LogSpread);
}
