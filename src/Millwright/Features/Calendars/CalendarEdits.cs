using Millwright.Api;

namespace Millwright.Features.Calendars;

/// <summary>Changes to one part of a site's calendar that keep the rest of the document as it is.</summary>
internal static class CalendarEdits
{
    /// <summary>Adds an overtime window (for the site, or one of its lines) to the site's calendar.</summary>
    public static async Task<CalendarDto> AddOvertimeAsync(Session s, long siteId, OvertimeWindowInput window)
    {
        var calendar = (await SiteCalendars.GetAsync(s, siteId)).Calendar;
        return await SiteCalendars.PutAsync(s, siteId, new CalendarInput(
            [.. calendar.Shifts.Select(x => new ShiftInput(x.Name, [.. x.Days], x.Start, x.End, [.. x.Breaks.Select(b => new BreakInput(b.Start, b.End))]))],
            [.. calendar.Holidays],
            [.. calendar.PlannedStops.Select(p => new PlannedStopInput(p.From, p.To, p.MachineId, p.Reason))],
            [.. calendar.OvertimeWindows.Select(o => new OvertimeWindowInput(o.From, o.To, o.LineId, o.Reason)), window]));
    }
}
