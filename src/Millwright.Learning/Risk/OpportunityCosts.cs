namespace Millwright.Learning.Risk;

/// <summary>
/// What the opportunistic renewal weighs, in production hours and production time (docs/predictive-maintenance.md,
/// "Opportunistic renewal"). Only <see cref="Visit"/> is a setting; the rest is learned from what the platform stores
/// of the kind: its down spells, its parts' lives and its breakdowns' repairs.
/// </summary>
/// <param name="Visit">A renewal at a stop of its own (<see cref="RiskOptions.RenewalCost"/>: the crew, the part, the machine held).</param>
/// <param name="Marginal">A renewal at a stop the machine is in anyway: the time it holds the machine beyond that stop.</param>
/// <param name="Failure">A failure: a renewal plus the repair's downtime (<see cref="MaintenanceCosts.Failure"/>).</param>
/// <param name="MeanLifeHours">Production hours a part of the kind lasts from its fitting to its failure, on average.</param>
/// <param name="StopsPerHour">Down spells of the kind per production hour: how often a stop comes at random.</param>
public sealed record OpportunityCosts(double Visit, double Marginal, double Failure, double MeanLifeHours, double StopsPerHour)
{
    /// <summary>
    /// The costs from the kind's record: <paramref name="downSpellHours"/> (every down spell, short or long) over
    /// <paramref name="productionHours"/> of observed production give the rate of stops and, with the renewal's length
    /// <paramref name="renewalHours"/>, its mean time beyond the stop; <paramref name="lifeHours"/> the mean life;
    /// <paramref name="repairHours"/> (breakdowns that fitted a new part) the failure's downtime. Null without a
    /// life, a repair or a down spell to learn from.
    /// </summary>
    public static OpportunityCosts? Learn(double visit, double renewalHours, IReadOnlyCollection<double> downSpellHours, double productionHours,
        IReadOnlyCollection<double> lifeHours, IReadOnlyCollection<double> repairHours)
    {
        if (downSpellHours.Count == 0 || lifeHours.Count == 0 || repairHours.Count == 0 || productionHours <= 0)
        {
            return null;
        }

        var marginal = downSpellHours.Average(down => Math.Max(0, renewalHours - down));
        return new OpportunityCosts(visit, marginal, visit + repairHours.Average(), lifeHours.Average(), downSpellHours.Count / productionHours);
    }
}
