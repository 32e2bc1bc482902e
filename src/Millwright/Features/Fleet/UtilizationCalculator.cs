namespace Millwright.Features.Fleet;

/// <summary>
/// Working, idle and off time from the AEMP counters a machine reports: between two reports of
/// <c>engine_hours</c> (cumulative operating hours) the engine ran for their difference and idled for the
/// difference of <c>idle_hours</c> at the same times; the rest of the elapsed time it was off. Working = operating −
/// idle. An increase larger than the elapsed time is capped at it; a counter that goes back (a reset or a swapped
/// unit) makes that gap "no data", as does time before the first and after the last report in the range.
/// </summary>
internal static class UtilizationCalculator
{
    private const double HourMs = 3_600_000;

    /// <param name="operating">engine_hours points in the range, oldest first.</param>
    /// <param name="idle">idle_hours points, oldest first (none reported: idle is 0).</param>
    /// <param name="fuel">fuel_used points (litres, cumulative), oldest first; a segment's fuel is its increase between the segment's ends.</param>
    public static IReadOnlyList<UtilizationSegment> Segments(
        IReadOnlyList<(long At, double Value)> operating, IReadOnlyList<(long At, double Value)> idle, IReadOnlyList<(long At, double Value)> fuel)
    {
        var segments = new List<UtilizationSegment>();
        var idleAt = new PointCursor(idle);
        var fuelAt = new PointCursor(fuel);
        var previousIdle = operating.Count > 0 ? idleAt.At(operating[0].At) : null;
        var previousFuel = operating.Count > 0 ? fuelAt.At(operating[0].At) : null;
        for (var i = 1; i < operating.Count; i++)
        {
            var (from, start) = operating[i - 1];
            var (to, end) = operating[i];
            var idleNow = idleAt.At(to);
            var fuelNow = fuelAt.At(to);
            var elapsed = (to - from) / HourMs;
            var ran = end - start;
            var idled = idleNow is { } b && previousIdle is { } a ? b - a : 0;
            var burnt = fuelNow is { } f1 && previousFuel is { } f0 ? (f1 >= f0 ? f1 - f0 : f1) : 0;
            previousIdle = idleNow;
            previousFuel = fuelNow;
            if (elapsed <= 0 || ran < 0 || idled < 0)
            {
                continue;
            }

            ran = Math.Min(ran, elapsed);
            idled = Math.Min(idled, ran);
            var working = ran - idled;
            var off = elapsed - ran;
            var state = working >= idled && working >= off ? "working" : idled >= off ? "idle" : "off";
            segments.Add(new UtilizationSegment(from, to, working, idled, off, burnt, state));
        }

        return segments;
    }

    /// <summary>Consecutive segments of one state as one span; gaps between reports and the range's ends are "no_data".</summary>
    public static IReadOnlyList<UtilizationSpanDto> Timeline(IReadOnlyList<UtilizationSegment> segments, long from, long to)
    {
        var spans = new List<UtilizationSpanDto>();
        void Add(long a, long b, string state)
        {
            if (b <= a)
            {
                return;
            }

            if (spans.Count > 0 && spans[^1].State == state && spans[^1].To.ToUnixTimeMilliseconds() == a)
            {
                spans[^1] = spans[^1] with { To = DateTimeOffset.FromUnixTimeMilliseconds(b) };
                return;
            }

            spans.Add(new UtilizationSpanDto(DateTimeOffset.FromUnixTimeMilliseconds(a), DateTimeOffset.FromUnixTimeMilliseconds(b), state));
        }

        var at = from;
        foreach (var s in segments)
        {
            Add(at, s.From, "no_data");
            Add(s.From, s.To, s.State);
            at = s.To;
        }

        Add(at, to, "no_data");
        return spans;
    }
}
