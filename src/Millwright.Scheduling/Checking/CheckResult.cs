namespace Millwright.Scheduling.Checking;

/// <summary>What the checker recomputed from the start times alone, and every violation it found.</summary>
public sealed record CheckResult(IReadOnlyList<string> Violations, long Makespan, long TotalWeightedTardiness)
{
    public bool IsValid => Violations.Count == 0;
}
