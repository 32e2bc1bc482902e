namespace Millwright.Learning.Risk;

/// <summary>
/// Whether to renew a part while its machine is stopped anyway, for a breakdown repair or a planned stop
/// (docs/predictive-maintenance.md, "Opportunistic renewal"). Renewing now costs the time the renewal holds the
/// machine beyond the stop it is in (<see cref="OpportunityCosts.Marginal"/>) and the part life given up. Waiting
/// costs the chance that no other stop comes before the part's deadline, so that it needs a visit of its own
/// (<see cref="OpportunityCosts.Visit"/>), and the chance it fails before its next renewal (<see cref="OpportunityCosts.Failure"/>).
/// Stops come at random (the kind's learned rate of down spells); the wait until the next is the shorter of the
/// next stop and the deadline.
/// </summary>
public static class OpportunisticRenewal
{
    /// <summary>
    /// The expected costs of renewing now and of waiting, in production hours, for a part whose accepted-risk deadline
    /// is <paramref name="hoursToDeadline"/> hours away (on the clock of the costs' rate of stops and mean life: production
    /// time in the bench, calendar time in the platform); null when the part is not degrading (no deadline).
    /// </summary>
    public static (double Now, double Wait)? Costs(double? hoursToDeadline, Degradation degradation, FailureThreshold threshold, double runningShare, OpportunityCosts costs)
    {
        if (hoursToDeadline is not { } deadline || !double.IsFinite(deadline))
        {
            return null;
        }

        var untilDeadline = Math.Max(0, deadline);

        // No other stop before the deadline, and the expected wait until the next renewal (the mean of the shorter of
        // an exponential wait for a stop and the deadline).
        var noStop = Math.Exp(-costs.StopsPerHour * untilDeadline);
        var wait = costs.StopsPerHour > 0 ? (1 - noStop) / costs.StopsPerHour : untilDeadline;
        var failsMeanwhile = FailureRisk.Within(degradation, threshold, runningShare, TimeSpan.FromHours(wait));

        // Renewing now gives up the life to the next renewal the part would otherwise have had (the wait), valued at a
        // renewal per mean life; both branches pay the marginal cost at the stop where the renewal is done, except
        // when no stop comes and the part needs its own visit.
        var now = costs.Marginal + (wait / costs.MeanLifeHours * costs.Visit);
        var later = (noStop * costs.Visit) + ((1 - noStop) * costs.Marginal) + (failsMeanwhile * costs.Failure);
        return (now, later);
    }

    /// <summary>True when renewing at this stop is expected to cost less than waiting.</summary>
    public static bool RenewNow(double? hoursToDeadline, Degradation degradation, FailureThreshold threshold, double runningShare, OpportunityCosts costs) =>
        degradation.Known && Costs(hoursToDeadline, degradation, threshold, runningShare, costs) is { } c && c.Now < c.Wait;
}
