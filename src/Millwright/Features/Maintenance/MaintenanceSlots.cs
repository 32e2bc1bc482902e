using Millwright.Features.Calendars;
using Millwright.Learning.Risk;

namespace Millwright.Features.Maintenance;

/// <summary>
/// The times a maintenance stop could start between now and its latest safe start, each with what it costs: the hours of
/// planned working time it takes, plus the hours of planned work it displaces weighted by
/// <see cref="MaintenanceOptions.WorkWeight"/>. Candidates are every step, and the edges where cost changes (the end of
/// working time or work, and the start less the stop's length, so a stop can end just as a shift begins).
/// </summary>
internal static class MaintenanceSlots
{
    public static List<MaintenanceSlot> Between(long now, long deadline, long length, long step, IReadOnlyList<Interval> working, IReadOnlyList<Interval> work, double workWeight)
    {
        var starts = new SortedSet<long> { now, deadline };
        for (var t = ((now / step) + 1) * step; t < deadline; t += step)
        {
            starts.Add(t);
        }

        foreach (var span in working.Concat(work))
        {
            foreach (var edge in new[] { span.End, span.Start - length })
            {
                if (edge > now && edge < deadline)
                {
                    starts.Add(edge);
                }
            }
        }

        return [.. starts.Select(start =>
        {
            var stop = new[] { new Interval(start, start + length) };
            var hours = (Intervals.Total(Intervals.Intersect(stop, working)) + (workWeight * Intervals.Total(Intervals.Intersect(stop, work)))) / 3_600_000.0;
            return new MaintenanceSlot(DateTimeOffset.FromUnixTimeMilliseconds(start), hours);
        })];
    }
}
