namespace Millwright.Features.Production;

/// <summary>
/// The outcome of planning: every schedulable job's machine and times, each order's ETA, the orders that
/// cannot be planned and why, and the objective values (seconds).
/// </summary>
internal sealed record ProductionPlan(
    IReadOnlyList<PlannedJob> Jobs,
    IReadOnlyDictionary<long, long> Eta,
    IReadOnlyDictionary<long, string> Problems,
    long WeightedTardiness,
    long Makespan);
