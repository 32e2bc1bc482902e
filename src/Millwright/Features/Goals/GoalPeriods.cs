using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Goals;

/// <summary>
/// The board's baseline and current periods, the tenant's stored history they default from, and the buckets of
/// the sparklines over both.
/// </summary>
internal static class GoalPeriods
{
    /// <summary>The same bound as the KPI report: every machine's intervals and minutes over the range are read.</summary>
    public const int MaxDays = 92;

    /// <summary>A sparkline has at most this many points; the bucket grows along <see cref="BucketLadder"/> to fit.</summary>
    public const int MaxBuckets = 48;

    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;
    private static readonly long[] BucketLadder = [Hour, 2 * Hour, 3 * Hour, 6 * Hour, 12 * Hour, Day, 2 * Day, 7 * Day];

    /// <summary>A history shorter than this is stretched to it, so that its thirds are not empty instants.</summary>
    private const long MinHistory = 3 * 60_000;

    /// <summary>
    /// The given periods, or by default the first third of the history against its last third (the history
    /// clipped to its last <see cref="MaxDays"/> days; without any history, the day before yesterday against the last day).
    /// </summary>
    public static (Interval Baseline, Interval Current) Resolve(GoalBoardQuery query, Interval? history, long now)
    {
        var v = new Validator();
        var baseline = Pair(v, "baseline", query.BaselineFrom, query.BaselineTo);
        var current = Pair(v, "current", query.CurrentFrom, query.CurrentTo);
        v.ThrowIfInvalid();

        var h = history ?? new Interval(now - 3 * Day, now);
        var third = h.Length / 3;
        var resolved = (baseline ?? new Interval(h.Start, h.Start + third), current ?? new Interval(h.End - third, h.End));
        var hull = Hull(resolved.Item1, resolved.Item2);
        if (hull.Length > MaxDays * Day)
        {
            throw ApiProblem.Invalid("baselineFrom", $"the two periods together may span at most {MaxDays} days (a period not given is a third of the stored history)");
        }

        return resolved;
    }

    /// <summary>The span from the first stored instant to just after the last one, clipped to the last <see cref="MaxDays"/> days.</summary>
    public static Interval? History(long? first, long? last)
    {
        if (first is not { } start || last is not { } end)
        {
            return null;
        }

        end = Math.Max(end + 1, start + MinHistory);
        return new Interval(Math.Max(start, end - MaxDays * Day), end);
    }

    public static Interval Hull(Interval a, Interval b) => new(Math.Min(a.Start, b.Start), Math.Max(a.End, b.End));

    /// <summary>Consecutive buckets from the hull's start, each of the smallest ladder size that keeps them within <see cref="MaxBuckets"/>; the last one clipped.</summary>
    public static List<Interval> Buckets(Interval hull)
    {
        var size = BucketLadder.FirstOrDefault(b => (hull.Length + b - 1) / b <= MaxBuckets, BucketLadder[^1]);
        var result = new List<Interval>();
        for (var start = hull.Start; start < hull.End; start += size)
        {
            result.Add(new Interval(start, Math.Min(hull.End, start + size)));
        }

        return result;
    }

    private static Interval? Pair(Validator v, string name, string? fromText, string? toText)
    {
        var from = GoalTime.Parse(v, name + "From", fromText);
        var to = GoalTime.Parse(v, name + "To", toText);
        var givenFrom = !string.IsNullOrWhiteSpace(fromText);
        var givenTo = !string.IsNullOrWhiteSpace(toText);
        if (givenFrom != givenTo)
        {
            v.Add(givenFrom ? name + "To" : name + "From", $"give both {name}From and {name}To, or neither for the default");
            return null;
        }

        if (from is { } f && to is { } t)
        {
            if (f >= t)
            {
                v.Add(name + "From", $"must be before {name}To");
                return null;
            }

            return new Interval(f, t);
        }

        return null;
    }
}
