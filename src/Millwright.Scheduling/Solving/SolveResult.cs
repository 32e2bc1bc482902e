namespace Millwright.Scheduling.Solving;

/// <summary>
/// The outcome of a run: the best schedule, how many iterations all workers did, why it stopped, and a lower bound
/// on the objective with where it comes from.
/// </summary>
public sealed record SolveResult(SolverSnapshot Best, long Iterations, TimeSpan Elapsed, StopReason Reason, long LowerBound, BoundSource BoundSource = BoundSource.Simple);

/// <summary>Which argument proves a run's lower bound.</summary>
public enum BoundSource
{
    /// <summary>The cheap bound: the longest job (release plus shortest options), or all work spread evenly over the machines.</summary>
    Simple,

    /// <summary>CP-SAT's proven bound on the whole instance, stronger than the cheap one.</summary>
    CpSat,
}
