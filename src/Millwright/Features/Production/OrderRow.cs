using System.Text.Json;

namespace Millwright.Features.Production;

/// <summary>An order as the store reads it (<see cref="ProductionStore"/>).</summary>
internal sealed class OrderRow
{
    public long Id { get; set; }
    public string Number { get; set; } = "";
    public string Customer { get; set; } = "";
    public long ItemId { get; set; }
    public string Item { get; set; } = "";
    public long SiteId { get; set; }
    public long Quantity { get; set; }
    public long DueAt { get; set; }
    public int Priority { get; set; }
    public string? Customization { get; set; }
    public string Status { get; set; } = "";
    public string? Problem { get; set; }
    public long? EtaAt { get; set; }
    public long Good { get; set; }
    public long Scrap { get; set; }
    public long CreatedAt { get; set; }
    public long? ReleasedAt { get; set; }
    public long? CompletedAt { get; set; }

    /// <summary>The ERP's number for an order it sent (docs/erp.md); null for orders taken here.</summary>
    public string? ErpNumber { get; set; }

    /// <summary>Late: finished after its due date, or expected to (its ETA lies past it).</summary>
    public bool Late => (CompletedAt ?? EtaAt) is { } end && end > DueAt;

    public OrderDto AsDto(IReadOnlyList<JobRow> jobs, bool withJobs) => new(
        Id, Number, Customer, ItemId, Item, SiteId, Quantity, At(DueAt), Priority,
        Customization is null ? null : JsonSerializer.Deserialize<JsonElement>(Customization),
        Status, Problem, EtaAt is { } eta ? At(eta) : null, Late, Good, Scrap, Progress(jobs),
        At(CreatedAt), ReleasedAt is { } r ? At(r) : null, CompletedAt is { } c ? At(c) : null,
        withJobs ? jobs.Select(j => j.AsDto()).ToList() : null);

    /// <summary>Share of the order's work done: each job's good units over its quantity, averaged over the jobs.</summary>
    private double Progress(IReadOnlyList<JobRow> jobs) =>
        Status == OrderStatus.Completed ? 1
        : jobs.Count == 0 ? 0
        : Math.Round(jobs.Average(j => j.Status == JobStatus.Done ? 1 : Math.Min(1, (double)j.Good / j.Quantity)), 4);

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
