using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Solving;

/// <summary>What one worker hands the others at a sync point: its best solution, immutable.</summary>
internal sealed record EliteSolution(long Objective, Func<Schedule> Schedule, object Payload, bool Optimal);
