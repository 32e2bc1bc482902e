using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Kpis;

namespace Millwright.Tests.States;

public sealed class SiteCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static long Utc(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static SiteCalendar Calendar(params ShiftInput[] shifts) => Calendar(shifts, [], []);

    private static SiteCalendar Calendar(ShiftInput[] shifts, string[] holidays, PlannedStopInput[] stops) =>
        new(Berlin, SiteCalendars.Validate(new CalendarInput(shifts, holidays, stops)));

    private static readonly ShiftInput Early = new("early", ["mon", "tue", "wed", "thu", "fri"], "06:00", "14:00", [new BreakInput("09:00", "09:30")]);
    private static readonly ShiftInput Night = new("night", ["sat"], "22:00", "06:00", [new BreakInput("02:00", "02:30")]);

    [Fact]
    public void A_week_of_early_shifts_plans_five_times_seven_and_a_half_hours()
    {
        // Mon 2026-01-05 00:00 CET (= Sun 23:00 UTC) to the next Monday: 5 shifts × (8 h − 0.5 h break) = 37.5 h.
        var planned = Calendar(Early).PlannedFor(1, Utc(2026, 1, 4, 23), Utc(2026, 1, 11, 23));
        Assert.Equal(37.5 * 3600_000, Intervals.Total(planned.Busy));
        // The first shift starts at 06:00 CET = 05:00 UTC, and its break splits it in two.
        Assert.Equal(new Interval(Utc(2026, 1, 5, 5), Utc(2026, 1, 5, 8)), planned.Busy[0]);
        Assert.Equal(new Interval(Utc(2026, 1, 5, 8, 30), Utc(2026, 1, 5, 13)), planned.Busy[1]);
    }

    [Fact]
    public void A_night_shift_is_an_hour_shorter_when_the_clocks_go_forward_and_longer_when_they_go_back()
    {
        // 2026-03-29 02:00 CET becomes 03:00 CEST: Sat 22:00 CET (21:00 UTC) to Sun 06:00 CEST (04:00 UTC) is 7 h.
        var spring = Calendar(Night).ShiftsIn(Utc(2026, 3, 28, 0), Utc(2026, 3, 30, 0)).Single();
        Assert.Equal(new Interval(Utc(2026, 3, 28, 21), Utc(2026, 3, 29, 4)), spring.Span);
        // The 02:00-02:30 break falls into the missing hour and moves forward by the gap: 03:00-03:30 CEST, still 30 min.
        Assert.Equal(new Interval(Utc(2026, 3, 29, 1), Utc(2026, 3, 29, 1, 30)), spring.Breaks.Single());

        // 2026-10-25 03:00 CEST becomes 02:00 CET: Sat 22:00 CEST (20:00 UTC) to Sun 06:00 CET (05:00 UTC) is 9 h.
        var autumn = Calendar(Night).ShiftsIn(Utc(2026, 10, 24, 0), Utc(2026, 10, 26, 0)).Single();
        Assert.Equal(new Interval(Utc(2026, 10, 24, 20), Utc(2026, 10, 25, 5)), autumn.Span);
        // 02:00 happens twice; the break takes the first 02:00 (CEST, 00:00 UTC).
        Assert.Equal(new Interval(Utc(2026, 10, 25, 0), Utc(2026, 10, 25, 0, 30)), autumn.Breaks.Single());
        Assert.Equal(8.5 * 3600_000, Intervals.Total(Calendar(Night).PlannedFor(1, Utc(2026, 10, 24, 0), Utc(2026, 10, 26, 0)).Busy));
    }

    [Fact]
    public void No_shift_starts_on_a_holiday()
    {
        // Fri 2026-01-09 is a holiday: four shifts remain in the week, 4 × 7.5 h.
        var calendar = Calendar([Early], ["2026-01-09"], []);
        Assert.Equal(30 * 3600_000, Intervals.Total(calendar.PlannedFor(1, Utc(2026, 1, 4, 23), Utc(2026, 1, 11, 23)).Busy));
    }

    [Fact]
    public void A_planned_stop_of_one_machine_is_planned_downtime_for_it_alone()
    {
        // Stop from 10:00 to 12:00 CET on Mon 2026-01-05 (09:00-11:00 UTC), inside the early shift after its break.
        var stop = new PlannedStopInput(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.FromHours(1)), 7, "maintenance");
        var calendar = Calendar([Early], [], [stop]);
        var day = (Utc(2026, 1, 4, 23), Utc(2026, 1, 5, 23));

        var seven = calendar.PlannedFor(7, day.Item1, day.Item2);
        Assert.Equal(7.5 * 3600_000, Intervals.Total(seven.Operating));      // POT
        Assert.Equal(2 * 3600_000, Intervals.Total(seven.PlannedDown));     // PDT
        Assert.Equal(5.5 * 3600_000, Intervals.Total(seven.Busy));          // PBT = POT − PDT
        Assert.Equal(7.5 * 3600_000, Intervals.Total(calendar.PlannedFor(8, day.Item1, day.Item2).Busy));
        Assert.Equal("maintenance", calendar.PlannedStopAt(7, Utc(2026, 1, 5, 10))?.Reason);
        Assert.Null(calendar.PlannedStopAt(8, Utc(2026, 1, 5, 10)));
    }

    [Fact]
    public void A_site_without_shifts_is_planned_around_the_clock()
    {
        var calendar = Calendar();
        Assert.True(calendar.AroundTheClock);
        Assert.Equal(24 * 3600_000, Intervals.Total(calendar.PlannedFor(1, Utc(2026, 1, 5, 0), Utc(2026, 1, 6, 0)).Busy));
    }

    [Fact]
    public void Days_follow_the_sites_midnight_and_the_spring_day_has_23_hours()
    {
        var days = KpiPeriods.Split(Calendar(), Utc(2026, 3, 27, 23), Utc(2026, 3, 30, 22), "day");
        Assert.Equal(["2026-03-28", "2026-03-29", "2026-03-30"], days.Select(d => d.Label));
        Assert.Equal([24 * 3600_000L, 23 * 3600_000L, 24 * 3600_000L], days.Select(d => d.Span.Length));
        var weeks = KpiPeriods.Split(Calendar(), Utc(2026, 3, 27, 23), Utc(2026, 3, 30, 22), "week");
        Assert.Equal(["week of 2026-03-23", "week of 2026-03-30"], weeks.Select(w => w.Label));
    }

    [Fact]
    public void Bad_calendars_are_refused_field_by_field()
    {
        var e = Assert.Throws<ApiProblem>(() => SiteCalendars.Validate(new CalendarInput(
            [new ShiftInput("", ["funday"], "25:00", "14:00", null), new ShiftInput("late", ["mon"], "14:00", "22:00", [new BreakInput("13:00", "13:30")])],
            ["2026-13-01"],
            [new PlannedStopInput(DateTimeOffset.UnixEpoch.AddHours(2), DateTimeOffset.UnixEpoch, null, null)])));
        Assert.Equal(
            ["holidays[0]", "plannedStops[0]", "shifts[0].days", "shifts[0].name", "shifts[0].start", "shifts[1].breaks[0]"],
            e.Errors!.Keys.Order());
    }
}
