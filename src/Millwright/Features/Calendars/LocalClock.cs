namespace Millwright.Features.Calendars;

/// <summary>
/// Turns a site's wall-clock time into an instant. Around DST changes a wall-clock time can be missing
/// (spring: 02:30 does not exist) or twice (autumn: 02:30 happens twice); shifts must still start once.
/// </summary>
internal static class LocalClock
{
    /// <summary>
    /// A missing time moves forward by the gap (02:30 becomes 03:30 summer time, the instant a clock that
    /// skipped the hour would show it); a repeated time takes its first occurrence.
    /// </summary>
    public static long ToUnixMs(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // The offset in force before the gap, i.e. the standard offset of the spring change.
            offset = zone.GetUtcOffset(local.AddHours(-6));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public static DateOnly LocalDate(TimeZoneInfo zone, long unixMs) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).DateTime);
}
