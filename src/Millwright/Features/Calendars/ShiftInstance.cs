namespace Millwright.Features.Calendars;

/// <summary>One occurrence of a shift: its name, local start date, span and breaks (Unix ms, UTC).</summary>
internal sealed record ShiftInstance(string Name, DateOnly Date, Interval Span, IReadOnlyList<Interval> Breaks);
