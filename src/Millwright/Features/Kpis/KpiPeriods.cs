using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Kpis;

/// <summary>Splits [from, to) into shifts, local days or local weeks (from Monday) of a site's calendar.</summary>
internal static class KpiPeriods
{
    public const int MaxPeriods = 400;

    public static List<(Interval Span, string? Label)> Split(SiteCalendar calendar, long from, long to, string? period)
    {
        var result = period switch
        {
            null or "" => [(new Interval(from, to), null)],
            "shift" => calendar.AroundTheClock
                ? throw ApiProblem.Invalid("period", "the site's calendar has no shifts")
                : calendar.ShiftsIn(from, to)
                    .Select(s => (new Interval(Math.Max(from, s.Span.Start), Math.Min(to, s.Span.End)), (string?)$"{s.Date:yyyy-MM-dd} {s.Name}"))
                    .ToList(),
            "day" => ByLocalDays(calendar.Zone, from, to, 1),
            "week" => ByLocalDays(calendar.Zone, from, to, 7),
            _ => throw ApiProblem.Invalid("period", "must be shift, day or week"),
        };
        if (result.Count > MaxPeriods)
        {
            throw ApiProblem.Invalid("period", $"the range holds more than {MaxPeriods} periods; ask for a shorter range or a longer period");
        }

        return result;
    }

    private static List<(Interval, string?)> ByLocalDays(TimeZoneInfo zone, long from, long to, int days)
    {
        var result = new List<(Interval, string?)>();
        var date = LocalClock.LocalDate(zone, from);
        if (days == 7)
        {
            date = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        }

        while (true)
        {
            var start = LocalClock.ToUnixMs(zone, date.ToDateTime(TimeOnly.MinValue));
            var next = date.AddDays(days);
            var end = LocalClock.ToUnixMs(zone, next.ToDateTime(TimeOnly.MinValue));
            if (start >= to)
            {
                break;
            }

            if (end > from)
            {
                result.Add((new Interval(Math.Max(from, start), Math.Min(to, end)), date.ToString(days == 7 ? "'week of' yyyy-MM-dd" : "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (result.Count > MaxPeriods)
            {
                break;
            }

            date = next;
        }

        return result;
    }
}
