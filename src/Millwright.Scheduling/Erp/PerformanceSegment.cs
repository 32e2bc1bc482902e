namespace Millwright.Scheduling.Erp;

/// <summary>One operation (job) of the order: where and when it ran, what it made and what it consumed.</summary>
public sealed record PerformanceSegment(
    long JobId,
    int Seq,
    string Operation,
    string Status,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    long Good,
    long Scrap,
    IReadOnlyList<PerformanceRun> Runs,
    IReadOnlyList<PerformanceMaterial> Consumed);
