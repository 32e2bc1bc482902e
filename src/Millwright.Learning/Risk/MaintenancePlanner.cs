namespace Millwright.Learning.Risk;

/// <summary>
/// Where to put a maintenance stop (docs/predictive-maintenance.md, "Planning"): among the slots that start by the
/// deadline (the latest start at which the risk of having failed is still acceptable), the one that costs the least
/// planned production; of equally cheap ones the latest, so that the part is used as long as is safe.
/// </summary>
public static class MaintenancePlanner
{
    /// <summary>The chosen slot, or null when none starts by the deadline (the caller stops at once or accepts the risk).</summary>
    public static MaintenanceSlot? Choose(IEnumerable<MaintenanceSlot> slots, DateTimeOffset deadline)
    {
        MaintenanceSlot? best = null;
        foreach (var slot in slots)
        {
            if (slot.Start > deadline || !double.IsFinite(slot.Cost))
            {
                continue;
            }

            if (best is not { } b || slot.Cost < b.Cost - 1e-9 || (Math.Abs(slot.Cost - b.Cost) <= 1e-9 && slot.Start > b.Start))
            {
                best = slot;
            }
        }

        return best;
    }

    /// <summary>
    /// The latest start at which the chance of failing first stays below <paramref name="acceptable"/>, or null when
    /// the part is not degrading (no maintenance needed on its account).
    /// </summary>
    public static DateTimeOffset? Deadline(DateTimeOffset now, Degradation degradation, FailureThreshold threshold, double runningShare, double acceptable) =>
        FailureRisk.HoursUntilRisk(degradation, threshold, runningShare, acceptable) is { } hours ? now + TimeSpan.FromHours(Math.Min(hours, 24 * 365)) : null;
}
