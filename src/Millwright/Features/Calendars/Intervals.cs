namespace Millwright.Features.Calendars;

/// <summary>
/// Set operations on lists of intervals. Every result is normalized: sorted, non-empty, non-overlapping and
/// with touching intervals merged, so that totals never count a millisecond twice.
/// </summary>
internal static class Intervals
{
    public static List<Interval> Normalize(IEnumerable<Interval> intervals)
    {
        var result = new List<Interval>();
        foreach (var next in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (result.Count > 0 && next.Start <= result[^1].End)
            {
                result[^1] = result[^1] with { End = Math.Max(result[^1].End, next.End) };
            }
            else
            {
                result.Add(next);
            }
        }

        return result;
    }

    public static List<Interval> Intersect(IEnumerable<Interval> a, IEnumerable<Interval> b)
    {
        var left = Normalize(a);
        var right = Normalize(b);
        var result = new List<Interval>();
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            var start = Math.Max(left[i].Start, right[j].Start);
            var end = Math.Min(left[i].End, right[j].End);
            if (end > start)
            {
                result.Add(new Interval(start, end));
            }

            if (left[i].End < right[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    public static List<Interval> Subtract(IEnumerable<Interval> a, IEnumerable<Interval> b)
    {
        var cuts = Normalize(b);
        var result = new List<Interval>();
        foreach (var piece in Normalize(a))
        {
            var start = piece.Start;
            foreach (var cut in cuts)
            {
                if (cut.End <= start || cut.Start >= piece.End)
                {
                    continue;
                }

                if (cut.Start > start)
                {
                    result.Add(new Interval(start, cut.Start));
                }

                start = Math.Max(start, cut.End);
            }

            if (piece.End > start)
            {
                result.Add(new Interval(start, piece.End));
            }
        }

        return result;
    }

    public static long Total(IEnumerable<Interval> intervals) => Normalize(intervals).Sum(i => i.Length);
}
