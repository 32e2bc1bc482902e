using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// A customer order for an item, made at a site. <paramref name="Customization"/> is the customer's own JSON
/// (measurements, a design reference) carried to the jobs; <paramref name="Release"/> releases it at once.
/// </summary>
internal sealed record OrderInput(
    string? Number,
    string? Customer,
    long? ItemId,
    long? SiteId,
    long? Quantity,
    DateTimeOffset? DueAt,
    int? Priority,
    JsonElement? Customization,
    bool? Release);

internal sealed record OrderQuery(int? Limit, long? After, string? Status, long? SiteId) : IListQuery;

internal sealed record OrderDto(
    long Id,
    string Number,
    string Customer,
    long ItemId,
    string Item,
    long SiteId,
    long Quantity,
    DateTimeOffset DueAt,
    int Priority,
    JsonElement? Customization,
    string Status,
    string? Problem,
    DateTimeOffset? Eta,
    bool Late,
    long Good,
    long Scrap,
    double Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<JobDto>? Jobs) : IHasId;

/// <summary>One operation of an order: plan (planned machine and times) and actual (dispatch, start, end, counts).</summary>
internal sealed record JobDto(
    long Id,
    long OrderId,
    string Order,
    int Seq,
    string Operation,
    string Capability,
    string Program,
    double SetupSeconds,
    double? PlannedSetupSeconds,
    double UnitSeconds,
    long Quantity,
    string Status,
    long? MachineId,
    string? Machine,
    DateTimeOffset? PlannedStart,
    DateTimeOffset? PlannedEnd,
    DateTimeOffset? CommittedEnd,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    long Good,
    long Scrap,
    string? Note);

internal static class OrderStatus
{
    public const string Planned = "planned";
    public const string Released = "released";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Planned, Released, InProgress, Completed, Cancelled];

    public static bool IsOpen(string status) => status is Released or InProgress;
}

internal static class JobStatus
{
    public const string Waiting = "waiting";
    public const string Dispatched = "dispatched";
    public const string Running = "running";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    /// <summary>Held by a machine: sent and not yet refused, or accepted and running.</summary>
    public static bool IsActive(string status) => status is Dispatched or Running;
}
