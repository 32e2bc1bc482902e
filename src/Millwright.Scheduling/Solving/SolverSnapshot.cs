using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Solving;

/// <summary>The best schedule found so far, its objective values and when (since the start of the run) it was found.</summary>
public sealed record SolverSnapshot(Schedule Schedule, long Objective, long Makespan, long WeightedTardiness, TimeSpan FoundAfter);
