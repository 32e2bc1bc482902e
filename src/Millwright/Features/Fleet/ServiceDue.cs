namespace Millwright.Features.Fleet;

/// <summary>
/// When a machine's next service of one interval falls due. The count starts at the last service of that
/// interval (its time and operating hours), or, for a machine never serviced under it, at hour 0 and the day the
/// machine joined the fleet. Due by hours at start + every_hours, by date at start + every_days; the earlier
/// decides. Overdue once either is reached; due soon when within soonHours or soonDays of either.
/// </summary>
internal static class ServiceDue
{
    private const double DayMs = 86_400_000;

    public static (string Status, double? DueAtHours, double? RemainingHours, long? DueAt, double? RemainingDays) Of(
        double? everyHours, int? everyDays, double startHours, long startAt, double? operatingHours, long now, double soonHours, int soonDays)
    {
        double? dueAtHours = everyHours is { } h ? startHours + h : null;
        // Without a reported hour meter the hour rule cannot be judged; the calendar rule still can.
        double? remainingHours = dueAtHours is { } d && operatingHours is { } current ? Math.Round(d - current, 3) : null;
        long? dueAt = everyDays is { } days ? startAt + (days * (long)DayMs) : null;
        double? remainingDays = dueAt is { } at ? Math.Round((at - now) / DayMs, 3) : null;
        var status = remainingHours <= 0 || remainingDays <= 0 ? "overdue"
            : remainingHours <= soonHours || remainingDays <= soonDays ? "due_soon"
            : "ok";
        return (status, dueAtHours, remainingHours, dueAt, remainingDays);
    }
}
