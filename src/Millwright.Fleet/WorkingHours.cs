using System.Globalization;

namespace Millwright.Fleet;

/// <summary>
/// When a site works: local times of its zone on some weekdays. A window whose end is before its start runs past
/// midnight (a night shift), and belongs to the day it starts on.
/// </summary>
internal sealed record WorkingHours(int FromMinute, int ToMinute, int Days)
{
    public static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Whether <paramref name="unixMs"/> falls inside a working window in <paramref name="zone"/>.</summary>
    public bool IsWorking(TimeZoneInfo zone, long unixMs)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone);
        var minute = (local.Hour * 60) + local.Minute;
        var today = DayBit(local.DayOfWeek);
        if (FromMinute <= ToMinute)
        {
            return (Days & today) != 0 && minute >= FromMinute && minute < ToMinute;
        }

        // Overnight: the evening part belongs to today, the morning part to the shift that began yesterday.
        var yesterday = DayBit(local.AddDays(-1).DayOfWeek);
        return ((Days & today) != 0 && minute >= FromMinute) || ((Days & yesterday) != 0 && minute < ToMinute);
    }

    public string From => Clock(FromMinute);

    public string To => Clock(ToMinute);

    public IReadOnlyList<string> DayList => [.. DayNames.Where((_, i) => (Days & (1 << i)) != 0)];

    /// <summary>Parses "HH:mm" (00:00 to 24:00); null when it is not such a time.</summary>
    public static int? ParseClock(string? text)
    {
        if (text is not { Length: 5 } || text[2] != ':'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && m != 0))
        {
            return null;
        }

        return (h * 60) + m;
    }

    private static string Clock(int minute) => string.Create(CultureInfo.InvariantCulture, $"{minute / 60:00}:{minute % 60:00}");

    private static int DayBit(DayOfWeek day) => 1 << (((int)day + 6) % 7);
}
