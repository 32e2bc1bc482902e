namespace Millwright.Features.Fleet;

/// <summary>A service interval of a maker's model: every so many operating hours, every so many days, or both (whichever comes first).</summary>
internal sealed record ServiceIntervalInput(string? OemName, string? Model, string? Name, double? EveryHours, int? EveryDays);

internal sealed record ServiceIntervalDto(long Id, string OemName, string Model, string Name, double? EveryHours, int? EveryDays, DateTimeOffset UpdatedAt);

/// <summary>A service done: when, at how many operating hours (default: the machine's latest reported), which interval.</summary>
internal sealed record ServiceInput(long? IntervalId, DateTimeOffset? DoneAt, double? OperatingHours, string? Note);

internal sealed record ServiceDto(long Id, long MachineId, long IntervalId, string Interval, DateTimeOffset DoneAt, double OperatingHours, string? Note);

/// <summary>A service visit to plan: a planned stop of the machine in its site's calendar.</summary>
internal sealed record ServiceVisitInput(long? IntervalId, DateTimeOffset? From, DateTimeOffset? To);

internal sealed record ServiceVisitDto(long MachineId, long SiteId, DateTimeOffset From, DateTimeOffset To, string Reason);

/// <summary>
/// One machine's standing against one interval. Due* are where the next service falls due (by hours, by date);
/// Remaining* what is left (negative: overdue by that much). Status: overdue, due_soon or ok.
/// </summary>
internal sealed record MaintenanceDueDto(
    long MachineId, string EquipmentId, string Model, long IntervalId, string Interval, string Status,
    double? OperatingHours, double? LastServiceHours, DateTimeOffset? LastServiceAt,
    double? DueAtHours, double? RemainingHours, DateTimeOffset? DueAt, double? RemainingDays, ServiceVisitDto? PlannedVisit);

internal sealed record MaintenanceListDto(DateTimeOffset At, double SoonHours, int SoonDays, IReadOnlyList<MaintenanceDueDto> Items);

internal sealed class ServiceIntervalRow
{
    public long Id { get; set; }
    public string OemName { get; set; } = "";
    public string Model { get; set; } = "";
    public string Name { get; set; } = "";
    public double? EveryHours { get; set; }
    public long? EveryDays { get; set; }
    public long UpdatedAt { get; set; }

    public ServiceIntervalDto AsDto() => new(Id, OemName, Model, Name, EveryHours, (int?)EveryDays, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}

internal sealed class ServiceRow
{
    public long Id { get; set; }
    public long MachineId { get; set; }
    public long IntervalId { get; set; }
    public string Interval { get; set; } = "";
    public long DoneAt { get; set; }
    public double OperatingHours { get; set; }
    public string? Note { get; set; }

    public ServiceDto AsDto() => new(Id, MachineId, IntervalId, Interval, DateTimeOffset.FromUnixTimeMilliseconds(DoneAt), OperatingHours, Note);
}
