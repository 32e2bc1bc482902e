namespace Millwright.Learning.Risk;

/// <summary>
/// The failure risk of one part (docs/predictive-maintenance.md): a degradation-threshold model. Its excess grows
/// at <see cref="Degradation.Rate"/> per running hour; the part fails when the excess crosses its threshold, which is
/// unknown but distributed as the kind's past failures were (<see cref="FailureThreshold"/>). Given that it has not
/// failed at today's excess <c>e</c>, the chance it fails within the next <c>h</c> running hours is
/// <c>(F(e + rate·h) − F(e)) / (1 − F(e))</c>; calendar hours become running hours by the machine's running share.
/// </summary>
public static class FailureRisk
{
    public static RiskEstimate Estimate(Degradation degradation, FailureThreshold threshold, double runningShare, TimeSpan shift)
    {
        var share = Math.Clamp(runningShare, 0, 1);
        double? hours = null;
        if (degradation.Rate > 0 && share > 0)
        {
            hours = Math.Max(0, threshold.Median - degradation.Excess) / degradation.Rate / share;
        }

        return new RiskEstimate(Within(degradation, threshold, share, shift), Within(degradation, threshold, share, TimeSpan.FromDays(1)), hours, degradation, threshold);
    }

    /// <summary>The chance the part, not failed yet, fails within <paramref name="horizon"/> of calendar time.</summary>
    public static double Within(Degradation degradation, FailureThreshold threshold, double runningShare, TimeSpan horizon)
    {
        var survived = 1 - threshold.FailedBy(degradation.Excess);
        if (survived < 1e-9)
        {
            return 1; // already past where all but a few parts failed
        }

        var ahead = degradation.Excess + (degradation.Rate * horizon.TotalHours * Math.Clamp(runningShare, 0, 1));
        return Math.Clamp((threshold.FailedBy(ahead) - threshold.FailedBy(degradation.Excess)) / survived, 0, 1);
    }

    /// <summary>
    /// The latest time, in calendar hours from now, at which the chance of having failed stays below
    /// <paramref name="acceptable"/>: maintenance must begin by then. Null when the part is not degrading.
    /// </summary>
    public static double? HoursUntilRisk(Degradation degradation, FailureThreshold threshold, double runningShare, double acceptable)
    {
        if (degradation.Rate <= 0 || runningShare <= 0)
        {
            return null;
        }

        var survived = 1 - threshold.FailedBy(degradation.Excess);
        if (survived < 1e-9)
        {
            return 0;
        }

        // F(e + rate·h·share) = F(e) + acceptable·(1 − F(e)); F is the log-normal's, so invert it by bisection on h.
        var target = threshold.FailedBy(degradation.Excess) + (acceptable * survived);
        double low = 0, high = 24 * 365;
        for (var i = 0; i < 60; i++)
        {
            var mid = (low + high) / 2;
            if (threshold.FailedBy(degradation.Excess + (degradation.Rate * mid * runningShare)) < target)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
