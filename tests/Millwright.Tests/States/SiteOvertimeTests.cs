using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Tests.States;

/// <summary>Overtime in a site calendar: extra planned operating time for the whole site or for one line's machines.</summary>
public sealed class SiteOvertimeTests
{
    private const long Hour = 3_600_000;
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly ShiftInput Early = new("early", ["mon", "tue", "wed", "thu", "fri"], "06:00", "14:00", []);

    /// <summary>Mon 2026-01-05 00:00 UTC.</summary>
    private static readonly long Monday = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static OvertimeWindowInput Window(double fromHour, double toHour, long? line, string? reason = null) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(Monday + (long)(fromHour * Hour)), DateTimeOffset.FromUnixTimeMilliseconds(Monday + (long)(toHour * Hour)), line, reason);

    private static SiteCalendar Calendar(OvertimeWindowInput[] overtime, PlannedStopInput[]? stops = null) =>
        new(Utc, SiteCalendars.Validate(new CalendarInput([Early], [], stops ?? [], overtime)),
            new Dictionary<long, IReadOnlySet<long>> { [3] = new HashSet<long> { 7 } });

    [Fact]
    public void Overtime_on_a_line_is_operating_time_for_its_machines_alone()
    {
        var calendar = Calendar([Window(14, 18, 3, "rush week")]);

        Assert.Equal(12 * Hour, Intervals.Total(calendar.PlannedFor(7, Monday, Monday + (24 * Hour)).Busy));
        Assert.Equal(8 * Hour, Intervals.Total(calendar.PlannedFor(8, Monday, Monday + (24 * Hour)).Busy));
        Assert.Equal(8 * Hour, Intervals.Total(calendar.PlannedFor(0, Monday, Monday + (24 * Hour)).Busy));
        Assert.True(calendar.HasOwnOvertime(7));
        Assert.False(calendar.HasOwnOvertime(8));
    }

    [Fact]
    public void Overtime_of_the_whole_site_opens_every_machine_and_a_planned_stop_still_wins()
    {
        var stop = new PlannedStopInput(DateTimeOffset.FromUnixTimeMilliseconds(Monday + (16 * Hour)), DateTimeOffset.FromUnixTimeMilliseconds(Monday + (17 * Hour)), null, "fire drill");
        var calendar = Calendar([Window(20, 22, null)], [stop]);

        Assert.Equal(10 * Hour, Intervals.Total(calendar.PlannedFor(8, Monday, Monday + (24 * Hour)).Operating));
        Assert.Equal([new Interval(Monday + (6 * Hour), Monday + (14 * Hour)), new Interval(Monday + (20 * Hour), Monday + (22 * Hour))],
            calendar.OpenFor(8, Monday, Monday + (24 * Hour)));

        var longer = Calendar([Window(13, 18, null)], [stop]);
        Assert.Equal([new Interval(Monday + (6 * Hour), Monday + (16 * Hour)), new Interval(Monday + (17 * Hour), Monday + (18 * Hour))],
            longer.OpenFor(8, Monday, Monday + (24 * Hour)));
    }

    [Fact]
    public void A_what_ifs_overtime_adds_to_the_calendars_own()
    {
        var calendar = Calendar([Window(14, 16, 3)]).WithOvertime([(new Interval(Monday + (16 * Hour), Monday + (18 * Hour)), new HashSet<long> { 8 })]);

        Assert.Equal(10 * Hour, Intervals.Total(calendar.PlannedFor(7, Monday, Monday + (24 * Hour)).Busy));
        Assert.Equal(10 * Hour, Intervals.Total(calendar.PlannedFor(8, Monday, Monday + (24 * Hour)).Busy));
    }

    [Fact]
    public void A_calendar_put_without_overtime_keeps_it_null_and_bad_windows_are_refused()
    {
        Assert.Null(SiteCalendars.Validate(new CalendarInput([Early], [], [])).Overtime);

        var e = Assert.Throws<ApiProblem>(() => SiteCalendars.Validate(new CalendarInput([], [], [],
            [Window(18, 14, 3), Window(0, 24 * 8, null), Window(1, 2, -4), null])));
        Assert.Equal(["overtime[0]", "overtime[1]", "overtime[2].lineId", "overtime[3]"], e.Errors!.Keys.Order());
    }

    [Fact]
    public void A_calendar_stored_before_overtime_existed_reads_as_none()
    {
        var old = SiteCalendars.Parse("""{"shifts":[],"holidays":[],"plannedStops":[]}""");

        Assert.Empty(old.OvertimeWindows);
        Assert.Equal(24 * Hour, Intervals.Total(new SiteCalendar(Utc, old).PlannedFor(1, Monday, Monday + (24 * Hour)).Busy));
    }
}
