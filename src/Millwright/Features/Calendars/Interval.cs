namespace Millwright.Features.Calendars;

/// <summary>A half-open time range [Start, End) in Unix milliseconds.</summary>
internal readonly record struct Interval(long Start, long End)
{
    public long Length => Math.Max(0, End - Start);
}
