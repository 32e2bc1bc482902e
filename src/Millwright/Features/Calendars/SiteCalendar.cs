using System.Globalization;

namespace Millwright.Features.Calendars;

/// <summary>
/// A site's calendar made usable: shift occurrences, breaks, holidays and planned stops as instants. A site
/// without shifts is planned around the clock, so that its machines still get availability figures.
/// </summary>
internal sealed class SiteCalendar
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly CalendarDocument _document;
    private readonly HashSet<DateOnly> _holidays;
    private readonly List<(Interval Window, IReadOnlySet<long>? Machines)> _overtime;

    /// <param name="lineMachines">The machines of each line the overtime names; a line missing here has none.</param>
    public SiteCalendar(TimeZoneInfo zone, CalendarDocument document, IReadOnlyDictionary<long, IReadOnlySet<long>>? lineMachines = null)
    {
        Zone = zone;
        _document = document;
        _holidays = document.Holidays.Select(h => DateOnly.ParseExact(h, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();
        _overtime = [.. document.OvertimeWindows.Select(o => (new Interval(o.From.ToUnixTimeMilliseconds(), o.To.ToUnixTimeMilliseconds()),
            o.LineId is { } line ? lineMachines?.GetValueOrDefault(line) ?? new HashSet<long>() : (IReadOnlySet<long>?)null))];
    }

    private SiteCalendar(SiteCalendar from, IEnumerable<(Interval Window, IReadOnlySet<long>? Machines)> overtime)
    {
        Zone = from.Zone;
        _document = from._document;
        _holidays = from._holidays;
        _overtime = [.. from._overtime, .. overtime];
    }

    public TimeZoneInfo Zone { get; }

    public bool AroundTheClock => _document.Shifts.Count == 0;

    /// <summary>This calendar with more overtime (a what-if's): for the whole site when Machines is null, else for those machines.</summary>
    public SiteCalendar WithOvertime(IEnumerable<(Interval Window, IReadOnlySet<long>? Machines)> overtime) => new(this, overtime);

    /// <summary>Whether some overtime opens this machine beyond what opens the whole site.</summary>
    public bool HasOwnOvertime(long machineId) => _overtime.Any(o => o.Machines?.Contains(machineId) == true);

    /// <summary>Shift occurrences that overlap [from, to), in start order; not clipped.</summary>
    public List<ShiftInstance> ShiftsIn(long from, long to)
    {
        var result = new List<ShiftInstance>();
        if (AroundTheClock || to <= from)
        {
            return result;
        }

        // A shift that starts the day before 'from' may run into it, hence the extra day at the start.
        var first = LocalClock.LocalDate(Zone, from).AddDays(-1);
        var last = LocalClock.LocalDate(Zone, to);
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (_holidays.Contains(date))
            {
                continue;
            }

            var day = DayNames[(int)date.DayOfWeek];
            foreach (var shift in _document.Shifts.Where(s => s.Days.Contains(day)))
            {
                var instance = Occur(shift, date);
                if (instance.Span.End > from && instance.Span.Start < to)
                {
                    result.Add(instance);
                }
            }
        }

        return result.OrderBy(s => s.Span.Start).ToList();
    }

    /// <summary>
    /// The planned time of a machine in [from, to) after ISO 22400-2: POT (shift time less breaks, no shifts on
    /// holidays, plus the overtime of the site or the machine's line), PDT (planned stops of the site or the
    /// machine inside POT) and PBT = POT − PDT. Machine id 0 is no machine: the site's own time.
    /// </summary>
    public PlannedTime PlannedFor(long machineId, long from, long to)
    {
        var range = new[] { new Interval(from, to) };
        List<Interval> operating;
        if (AroundTheClock)
        {
            operating = [.. range];
        }
        else
        {
            var shifts = ShiftsIn(from, to);
            var extra = _overtime.Where(o => o.Machines is null || o.Machines.Contains(machineId)).Select(o => o.Window);
            operating = Intervals.Intersect(
                Intervals.Normalize(Intervals.Subtract(shifts.Select(s => s.Span), shifts.SelectMany(s => s.Breaks)).Concat(extra)), range);
        }

        var down = Intervals.Intersect(operating, StopsOf(machineId));
        return new PlannedTime(operating, down, Intervals.Subtract(operating, down));
    }

    /// <summary>When the machine may work in [from, to) as far as the site goes: its POT less the site's own planned stops (not the machine's).</summary>
    public List<Interval> OpenFor(long machineId, long from, long to) =>
        Intervals.Subtract(PlannedFor(machineId, from, to).Operating, Stops(p => p.MachineId is null));

    /// <summary>The planned stop of the site or the machine that covers the instant, if any.</summary>
    public PlannedStopDto? PlannedStopAt(long machineId, long at) =>
        _document.PlannedStops.FirstOrDefault(p => (p.MachineId is null || p.MachineId == machineId)
            && p.From.ToUnixTimeMilliseconds() <= at && at < p.To.ToUnixTimeMilliseconds());

    /// <summary>The planned stops of this machine alone (not the site's).</summary>
    public IEnumerable<Interval> OwnStopsOf(long machineId) => Stops(p => p.MachineId == machineId);

    private IEnumerable<Interval> StopsOf(long machineId) => Stops(p => p.MachineId is null || p.MachineId == machineId);

    private IEnumerable<Interval> Stops(Func<PlannedStopDto, bool> which) =>
        _document.PlannedStops.Where(which).Select(p => new Interval(p.From.ToUnixTimeMilliseconds(), p.To.ToUnixTimeMilliseconds()));

    private ShiftInstance Occur(ShiftDto shift, DateOnly date)
    {
        var start = TimeOnly.ParseExact(shift.Start, "HH:mm", CultureInfo.InvariantCulture);
        var end = TimeOnly.ParseExact(shift.End, "HH:mm", CultureInfo.InvariantCulture);
        var startLocal = date.ToDateTime(start);
        var endLocal = (end <= start ? date.AddDays(1) : date).ToDateTime(end);
        var breaks = shift.Breaks.Select(b =>
        {
            var bs = TimeOnly.ParseExact(b.Start, "HH:mm", CultureInfo.InvariantCulture);
            var be = TimeOnly.ParseExact(b.End, "HH:mm", CultureInfo.InvariantCulture);
            // A break before the shift's start time of day lies after midnight, on the next day.
            var bsLocal = (bs < start ? date.AddDays(1) : date).ToDateTime(bs);
            var beLocal = (be <= bs ? bsLocal.Date.AddDays(1) : bsLocal.Date).Add(be.ToTimeSpan());
            return new Interval(LocalClock.ToUnixMs(Zone, bsLocal), LocalClock.ToUnixMs(Zone, beLocal));
        }).ToList();
        return new ShiftInstance(shift.Name, date, new Interval(LocalClock.ToUnixMs(Zone, startLocal), LocalClock.ToUnixMs(Zone, endLocal)), breaks);
    }
}
