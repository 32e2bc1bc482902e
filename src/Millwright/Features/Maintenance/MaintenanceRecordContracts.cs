namespace Millwright.Features.Maintenance;

/// <summary>
/// An operator's record that a machine's wearing part was renewed: "maintenance" carried out (in the planned stop that
/// starts at <see cref="PlannedStopFrom"/>, when it was one) or the "repair" of the breakdown that is the machine's down
/// interval <see cref="BreakdownStateId"/>. The risk estimate restarts the part's degradation at <see cref="DoneAt"/>.
/// </summary>
internal sealed record MaintenanceRecordDto(
    long Id,
    long MachineId,
    string Kind,
    DateTimeOffset DoneAt,
    DateTimeOffset? PlannedStopFrom,
    long? BreakdownStateId,
    string? Note,
    string RecordedBy,
    DateTimeOffset CreatedAt);

internal sealed record MaintenanceRecordListDto(IReadOnlyList<MaintenanceRecordDto> Items);

/// <summary>What an operator sends; <see cref="DoneAt"/> defaults to the stop's or the repair's end if it is over, else now.</summary>
internal sealed record MaintenanceRecordInput(string? Kind, DateTimeOffset? DoneAt, DateTimeOffset? PlannedStopFrom, long? BreakdownStateId, string? Note);

/// <summary>A stored row (times in Unix milliseconds).</summary>
internal sealed class MaintenanceRecordRow
{
    public long Id { get; set; }
    public long MachineId { get; set; }
    public string Kind { get; set; } = "";
    public long DoneAt { get; set; }
    public long? PlannedStopFrom { get; set; }
    public long? BreakdownStateId { get; set; }
    public string? Note { get; set; }
    public string RecordedBy { get; set; } = "";
    public long CreatedAt { get; set; }

    public MaintenanceRecordDto AsDto() => new(Id, MachineId, Kind, DateTimeOffset.FromUnixTimeMilliseconds(DoneAt),
        PlannedStopFrom is { } from ? DateTimeOffset.FromUnixTimeMilliseconds(from) : null, BreakdownStateId, Note, RecordedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}
