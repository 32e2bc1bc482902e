using System.Text.Json.Serialization;

namespace Millwright.Features.Calendars;

/// <summary>A break inside a shift, in the site's local time ("09:00" to "09:30").</summary>
internal sealed record BreakInput(string? Start, string? End);

/// <summary>A weekly shift in the site's local time; an end at or before the start means the shift ends the next day.</summary>
internal sealed record ShiftInput(string? Name, IReadOnlyList<string?>? Days, string? Start, string? End, IReadOnlyList<BreakInput?>? Breaks);

/// <summary>A planned stop (maintenance, no orders): for the whole site, or one machine when MachineId is set.</summary>
internal sealed record PlannedStopInput(DateTimeOffset? From, DateTimeOffset? To, long? MachineId, string? Reason);

/// <summary>
/// Extra working time beyond the shifts (overtime): for the whole site, or the machines of one line of the site when
/// LineId is set. Planned stops still win over it.
/// </summary>
internal sealed record OvertimeWindowInput(DateTimeOffset? From, DateTimeOffset? To, long? LineId, string? Reason);

/// <summary>
/// A site's calendar as one document; holidays are local dates ("2026-12-25") on which no shift starts. Overtime
/// left out (null) keeps the windows the calendar has, so that whoever adds a planned stop keeps them; an empty
/// list clears them.
/// </summary>
internal sealed record CalendarInput(
    IReadOnlyList<ShiftInput?>? Shifts, IReadOnlyList<string?>? Holidays, IReadOnlyList<PlannedStopInput?>? PlannedStops,
    IReadOnlyList<OvertimeWindowInput?>? Overtime = null);

internal sealed record BreakDto(string Start, string End);

internal sealed record ShiftDto(string Name, IReadOnlyList<string> Days, string Start, string End, IReadOnlyList<BreakDto> Breaks);

internal sealed record PlannedStopDto(DateTimeOffset From, DateTimeOffset To, long? MachineId, string? Reason);

internal sealed record OvertimeWindowDto(DateTimeOffset From, DateTimeOffset To, long? LineId, string? Reason);

/// <summary>A validated calendar, as stored (JSON) and answered; documents stored before overtime existed read as none.</summary>
internal sealed record CalendarDocument(
    IReadOnlyList<ShiftDto> Shifts, IReadOnlyList<string> Holidays, IReadOnlyList<PlannedStopDto> PlannedStops, IReadOnlyList<OvertimeWindowDto>? Overtime = null)
{
    public static readonly CalendarDocument Empty = new([], [], [], []);

    [JsonIgnore]
    public IReadOnlyList<OvertimeWindowDto> OvertimeWindows => Overtime ?? [];
}

internal sealed record CalendarDto(long SiteId, string TimeZone, CalendarDocument Calendar, bool AroundTheClock, DateTimeOffset? UpdatedAt);
