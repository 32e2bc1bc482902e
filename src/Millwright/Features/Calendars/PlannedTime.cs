namespace Millwright.Features.Calendars;

/// <summary>ISO 22400-2 planned times of one machine over a range: POT, PDT inside it, and PBT = POT − PDT.</summary>
internal sealed record PlannedTime(IReadOnlyList<Interval> Operating, IReadOnlyList<Interval> PlannedDown, IReadOnlyList<Interval> Busy);
