namespace Millwright.Features.Calendars;

/// <summary>
/// Learns that a tenant's site calendar was replaced, so that whoever caches calendars (the state tracker)
/// reloads them, without Calendars depending on it.
/// </summary>
internal interface ICalendarListener
{
    void CalendarChanged(long tenantId);
}
