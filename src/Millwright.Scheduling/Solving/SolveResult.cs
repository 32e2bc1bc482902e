namespace Millwright.Scheduling.Solving;

/// <summary>The outcome of a run: the best schedule, how many iterations all workers did, and why it stopped.</summary>
public sealed record SolveResult(SolverSnapshot Best, long Iterations, TimeSpan Elapsed, StopReason Reason, long LowerBound);
