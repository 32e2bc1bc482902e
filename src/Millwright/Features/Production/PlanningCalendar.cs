using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>
/// The calendars a plan respects (docs/kpis.md, Calendars): each site's working time, and the planned stops of
/// single machines, which the scheduler keeps clear as downtime. Jobs never leave their order's site, so each
/// site can keep its own working clock.
/// </summary>
internal sealed class PlanningCalendar
{
    /// <summary>How far ahead shifts are laid out; beyond it a site is taken as always open.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(30);

    private readonly long _now;
    private readonly Dictionary<long, WorkingTime> _sites;
    private readonly Dictionary<long, List<Interval>> _machineStops;

    public PlanningCalendar(long now, Dictionary<long, WorkingTime> sites, Dictionary<long, List<Interval>> machineStops)
    {
        _now = now;
        _sites = sites;
        _machineStops = machineStops;
    }

    /// <summary>Every site and machine always open: planning on the plain clock.</summary>
    public static PlanningCalendar AroundTheClock(long now) => new(now, [], []);

    /// <param name="ahead">How far ahead to lay out the calendars; <see cref="Horizon"/> unless only the present matters.</param>
    /// <param name="overtime">Extra working time beyond the calendars' own overtime (a what-if's), for one line's machines.</param>
    /// <remarks>
    /// A site is open while any of its machines may work: its shifts, and overtime of the site or of any line. A
    /// machine is stopped while the site is open but the machine is not (another line's overtime), and in its own
    /// planned stops.
    /// </remarks>
    public static async Task<PlanningCalendar> LoadAsync(Session s, IEnumerable<PlanMachine> machines, long now, TimeSpan? ahead = null, IReadOnlyList<Overtime>? overtime = null)
    {
        var end = now + (long)(ahead ?? Horizon).TotalMilliseconds;
        var sites = new Dictionary<long, WorkingTime>();
        var stops = new Dictionary<long, List<Interval>>();
        foreach (var site in machines.GroupBy(m => m.SiteId))
        {
            var calendar = (await SiteCalendars.LoadAsync(s, site.Key))
                .WithOvertime((overtime ?? []).Where(o => o.SiteId == site.Key).Select(o => (o.Window, (IReadOnlySet<long>?)o.Machines)));

            // Machine id 0 is no machine: the site's own time, which is every machine's unless a line has overtime.
            var siteOpen = calendar.OpenFor(0, now, end);
            var own = site.ToDictionary(m => m.Id, m => calendar.HasOwnOvertime(m.Id) ? calendar.OpenFor(m.Id, now, end) : siteOpen);
            var open = Intervals.Normalize(siteOpen.Concat(own.Values.SelectMany(o => o)));
            sites[site.Key] = new WorkingTime(now, open, end);
            foreach (var machine in site)
            {
                var closed = Intervals.Normalize(Intervals.Intersect(own[machine.Id], calendar.OwnStopsOf(machine.Id))
                    .Concat(Intervals.Subtract(open, own[machine.Id])));
                if (closed.Count > 0)
                {
                    stops[machine.Id] = closed;
                }
            }
        }

        return new PlanningCalendar(now, sites, stops);
    }

    public WorkingTime Of(long siteId) => _sites.GetValueOrDefault(siteId) ?? WorkingTime.AroundTheClock(_now);

    /// <summary>The machine's own planned stops, in Unix ms.</summary>
    public IReadOnlyList<Interval> StopsOf(long machineId) => _machineStops.GetValueOrDefault(machineId) ?? [];

    /// <summary>Whether work may start on the machine at the instant: its site open and the machine not stopped.</summary>
    public bool IsOpen(PlanMachine machine, long at) =>
        Of(machine.SiteId).IsOpen(at) && !StopsOf(machine.Id).Any(i => i.Start <= at && at < i.End);
}
