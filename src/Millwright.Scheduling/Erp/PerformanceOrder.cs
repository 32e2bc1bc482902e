namespace Millwright.Scheduling.Erp;

/// <summary>
/// What happened to one production order, as B2MML ProductionPerformance reports it (docs/erp.md). Status and
/// segment statuses are the platform's own words (planned, released, in_progress, completed, cancelled; waiting,
/// dispatched, running, done, cancelled); the writer maps them to ISA-95 states.
/// </summary>
public sealed record PerformanceOrder(
    string Number,
    string? ErpNumber,
    string Status,
    string ItemSku,
    string ItemUnit,
    long Quantity,
    long Good,
    long Scrap,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<PerformanceSegment> Segments);
