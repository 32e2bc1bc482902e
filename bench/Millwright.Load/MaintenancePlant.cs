using Millwright.Features.Calendars;
using Millwright.Features.Production;

namespace Millwright.Bench;

/// <summary>
/// The maintenance bench's plant calendar as the platform holds one: a site (UTC) with two shifts, Monday to Friday
/// 06:00-14:00 and 14:00-22:00, no breaks. The planner's working time and the KPIs' planned time come from it.
/// </summary>
internal static class MaintenancePlant
{
    public const long SiteId = 1;

    public static readonly SiteCalendar Calendar = new(TimeZoneInfo.Utc, new CalendarDocument(
        [
            new ShiftDto("early", ["mon", "tue", "wed", "thu", "fri"], "06:00", "14:00", []),
            new ShiftDto("late", ["mon", "tue", "wed", "thu", "fri"], "14:00", "22:00", []),
        ],
        [], []));

    /// <summary>Whether the plant works at the instant (inside a shift).</summary>
    public static bool Working(DateTimeOffset at) =>
        at.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && at.Hour is >= 6 and < 22;

    /// <summary>The site's working time from <paramref name="now"/> over <paramref name="ahead"/>, as the planner loads it.</summary>
    public static WorkingTime WorkingFrom(long now, TimeSpan ahead)
    {
        var end = now + (long)ahead.TotalMilliseconds;
        return new WorkingTime(now, Calendar.OpenFor(0, now, end), end);
    }
}
