namespace Millwright.Scheduling.Erp;

/// <summary>A stretch of the operation on one machine: a run cut short by a breakdown, or the run that finished it (End null while running).</summary>
public sealed record PerformanceRun(string Equipment, DateTimeOffset Start, DateTimeOffset? End, long Good, long Scrap);
