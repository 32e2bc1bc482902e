namespace Millwright.Learning.Risk;

/// <summary>
/// When to renew a part, by cost (docs/predictive-maintenance.md, "When to maintain"): age-replacement theory on the
/// degradation scale. A part renewed once its excess reaches <c>x</c>, or at its failure if that comes first, costs per
/// life <c>c_p + (c_f − c_p)·F(x)</c> and runs <c>∫₀ˣ (1 − F(u)) du</c> of excess (F the learned threshold's
/// distribution); the least long-run cost per unit of excess, <see cref="CostRate"/>, is reached at the control limit
/// <see cref="ControlLimit"/>. At a given moment, renewing at a later slot instead of now adds the expected extra cost
/// of a failure first and saves the use the part still gives, valued at that best rate; the slot of least expected
/// cost wins. The degradation's rate only converts hours into excess, so one decision serves fast and slow parts.
/// </summary>
public sealed class MaintenanceDecision
{
    private const int LimitSteps = 4_000;
    private const int WindowSteps = 200;
    private readonly FailureThreshold _threshold;

    public MaintenanceDecision(FailureThreshold threshold, MaintenanceCosts costs)
    {
        if (!(costs.PlannedRenewal > 0) || !(costs.RepairHours >= 0) || !double.IsFinite(costs.Failure))
        {
            throw new ArgumentOutOfRangeException(nameof(costs), costs, "a renewal must cost something and a repair cannot cost less than nothing");
        }

        _threshold = threshold;
        Costs = costs;

        // Scan the limit up to where all but 1 in 10,000 parts have failed, integrating the survival as it goes.
        var top = Math.Exp(threshold.LogMean + (3.72 * threshold.LogSpread));
        var step = top / LimitSteps;
        double used = 0, best = double.PositiveInfinity, limit = top;
        for (var i = 1; i <= LimitSteps; i++)
        {
            var x = i * step;
            used += step * (1 - threshold.FailedBy(x - (step / 2)));
            var rate = (costs.PlannedRenewal + (costs.RepairHours * threshold.FailedBy(x))) / used;
            if (rate < best)
            {
                (best, limit) = (rate, x);
            }
        }

        CostRate = best;
        ControlLimit = limit;
    }

    public MaintenanceCosts Costs { get; }

    /// <summary>The least long-run cost (production hours) per unit of excess a part runs, over every control limit.</summary>
    public double CostRate { get; }

    /// <summary>The excess at which renewing costs least in the long run, had it to be chosen once for every part.</summary>
    public double ControlLimit { get; }

    /// <summary>
    /// What renewing at <paramref name="slot"/> is expected to cost more than renewing now at no production cost: the
    /// slot's own production cost, plus the failure's extra cost times the chance the part fails first, less the use it
    /// gives until then valued at <see cref="CostRate"/>. Positive infinity for a part past where nearly all failed.
    /// </summary>
    public double ExtraCost(Degradation degradation, double runningShare, DateTimeOffset now, MaintenanceSlot slot)
    {
        var survived = 1 - _threshold.FailedBy(degradation.Excess);
        if (survived < 1e-9)
        {
            return slot.Start <= now ? slot.Cost : double.PositiveInfinity;
        }

        var hours = Math.Max(0, (slot.Start - now).TotalHours);
        var ahead = Math.Max(0, degradation.Rate) * hours * Math.Clamp(runningShare, 0, 1);
        if (ahead <= 0)
        {
            return slot.Cost;
        }

        var from = Math.Max(0, degradation.Excess);
        var failsFirst = (_threshold.FailedBy(from + ahead) - _threshold.FailedBy(from)) / survived;
        var step = ahead / WindowSteps;
        double used = 0;
        for (var i = 0; i < WindowSteps; i++)
        {
            used += step * (1 - _threshold.FailedBy(from + ((i + 0.5) * step)));
        }

        return slot.Cost + (Costs.RepairHours * failsFirst) - (CostRate * used / survived);
    }

    /// <summary>
    /// Of the slots, the one whose renewal is expected to cost least (the latest of equals, so the part is used as long
    /// as it pays); null when there are none.
    /// </summary>
    public MaintenanceSlot? Choose(IEnumerable<MaintenanceSlot> slots, Degradation degradation, double runningShare, DateTimeOffset now)
    {
        MaintenanceSlot? best = null;
        var bestCost = double.PositiveInfinity;
        foreach (var slot in slots)
        {
            if (!double.IsFinite(slot.Cost))
            {
                continue;
            }

            var cost = ExtraCost(degradation, runningShare, now, slot);
            // Every slot infinitely dear (the part has almost surely failed already): the earliest, not the first listed.
            var bothInfinite = double.IsPositiveInfinity(cost) && double.IsPositiveInfinity(bestCost);
            if (best is not { } b || cost < bestCost - 1e-9
                || (bothInfinite && slot.Start < b.Start)
                || (!bothInfinite && Math.Abs(cost - bestCost) <= 1e-9 && slot.Start > b.Start))
            {
                (best, bestCost) = (slot, cost);
            }
        }

        return best;
    }

    /// <summary>
    /// When the part is expected to reach <see cref="ControlLimit"/> at its present rate (now if it has), or null when
    /// it is not degrading: the latest start of maintenance that the cost rule would still call timely.
    /// </summary>
    public DateTimeOffset? LatestStart(DateTimeOffset now, Degradation degradation, double runningShare)
    {
        if (degradation.Excess >= ControlLimit)
        {
            return now;
        }

        var perHour = degradation.Rate * Math.Clamp(runningShare, 0, 1);
        return perHour > 0 ? now + TimeSpan.FromHours(Math.Min((ControlLimit - degradation.Excess) / perHour, 24 * 365)) : null;
    }
}
