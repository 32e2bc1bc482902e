using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>
/// A site's working time from <c>now</c>: the scheduler plans in working milliseconds (time inside shifts, less
/// breaks, holidays and the site's planned stops), so a job pauses when the site closes and goes on when it
/// opens, and each planned time maps back to the clock. Past the horizon the site is taken as always open.
/// </summary>
internal sealed class WorkingTime
{
    private readonly long _now;
    private readonly Interval[] _open;
    private readonly long[] _before;
    private readonly long _horizon;

    /// <param name="open">The open intervals in [now, horizon), sorted and disjoint.</param>
    public WorkingTime(long now, IReadOnlyList<Interval> open, long horizon)
    {
        _now = now;
        _open = [.. open];
        _horizon = horizon;
        _before = new long[_open.Length + 1];
        for (var i = 0; i < _open.Length; i++)
        {
            _before[i + 1] = _before[i] + _open[i].Length;
        }
    }

    public static WorkingTime AroundTheClock(long now) => new(now, [], now);

    /// <summary>Working milliseconds between now and <paramref name="at"/> (0 for a past instant).</summary>
    public long ToWork(long at)
    {
        var work = Math.Max(0, at - Math.Max(_horizon, _now));
        for (var i = 0; i < _open.Length && _open[i].Start < at; i++)
        {
            work += Math.Min(at, _open[i].End) - _open[i].Start;
        }

        return work;
    }

    /// <summary>The instant work that starts after <paramref name="work"/> working ms begins: an open instant, never a closing one.</summary>
    public long StartOf(long work)
    {
        for (var i = 0; i < _open.Length; i++)
        {
            if (_before[i + 1] > work)
            {
                return _open[i].Start + Math.Max(0, work - _before[i]);
            }
        }

        return Math.Max(_horizon, _now) + (work - _before[^1]);
    }

    /// <summary>The instant <paramref name="work"/> working ms are done: at a closing, the closing itself.</summary>
    public long EndOf(long work)
    {
        for (var i = 0; i < _open.Length; i++)
        {
            if (_before[i + 1] >= work)
            {
                return _open[i].Start + Math.Max(0, work - _before[i]);
            }
        }

        return Math.Max(_horizon, _now) + (work - _before[^1]);
    }

    public bool IsOpen(long at) => at >= _horizon || _open.Any(i => i.Start <= at && at < i.End);
}
