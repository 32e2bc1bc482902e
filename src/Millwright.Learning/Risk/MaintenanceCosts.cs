namespace Millwright.Learning.Risk;

/// <summary>
/// What a renewal costs, in hours of production (docs/predictive-maintenance.md, "When to maintain"):
/// <see cref="PlannedRenewal"/> is what every maintenance stop costs wherever it lies (the crew, the part, the machine
/// held for the stop's length); a failure costs that too, since its repair also fits a new part, plus
/// <see cref="RepairHours"/> of unplanned downtime. Production a stop takes inside a shift is added per slot.
/// </summary>
public sealed record MaintenanceCosts(double PlannedRenewal, double RepairHours)
{
    /// <summary>What a failure costs: a renewal plus the repair's downtime.</summary>
    public double Failure => PlannedRenewal + RepairHours;
}
