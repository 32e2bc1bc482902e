namespace Millwright.Scheduling.Model;

/// <summary>
/// A chain of operations that run in order. The first may not start before <paramref name="Release"/>; finishing after
/// <paramref name="Due"/> costs <paramref name="Weight"/> per time unit under the total weighted tardiness objective.
/// </summary>
public sealed record ShopJob(IReadOnlyList<ShopOperation> Operations, int Release = 0, int? Due = null, int Weight = 1, string? Name = null);
