using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>
/// Lays a reserved order's jobs into its reserved windows, in chain order, earliest first: a job may pause between
/// windows (as the quote that sold them assumed), and what does not fit in them carries on straight after the last
/// one, so that a late start is planned as late rather than dropped.
/// </summary>
internal static class ReservedWork
{
    /// <returns>The planned jobs, and the machine time they take outside the reserved windows.</returns>
    public static (List<PlannedJob> Jobs, List<Interval> Overflow) Lay(IReadOnlyList<JobRow> jobs, MachineReservation reservation, long from)
    {
        var windows = reservation.Windows.Where(w => w.End > from).Select(w => new Interval(Math.Max(w.Start, from), w.End)).ToList();
        var planned = new List<PlannedJob>();
        var overflow = new List<Interval>();
        var next = 0;
        var at = windows.Count > 0 ? windows[0].Start : from;
        foreach (var job in jobs)
        {
            // The setup in full, as the quote that sold the time counted it.
            var setup = job.SetupMs;
            var left = Math.Max(1, setup + (Math.Max(0, job.Quantity - job.Good) * job.UnitMs));
            long? start = null;
            while (left > 0)
            {
                if (next >= windows.Count)
                {
                    start ??= at;
                    overflow.Add(new Interval(at, at + left));
                    at += left;
                    break;
                }

                var window = windows[next];
                var begin = Math.Max(at, window.Start);
                if (begin >= window.End)
                {
                    next++;
                    continue;
                }

                start ??= begin;
                var take = Math.Min(left, window.End - begin);
                left -= take;
                at = begin + take;
            }

            planned.Add(new PlannedJob(job.Id, reservation.MachineId, start!.Value, at, setup));
        }

        return (planned, overflow);
    }
}
