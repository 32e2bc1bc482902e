using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// A satin column between two rails, the column's edges either side of its centre line, so the column follows a
/// curve: the rails are paired into rungs (straight segments across the column), stitches are laid across the rungs at
/// a spacing that depends on the width, and the pull compensation lengthens each stitch past both rails.
/// </summary>
internal static class SatinRails
{
    /// <summary>Rails are cut at least this finely before they are paired.</summary>
    public const double Step = 0.2;

    /// <summary>
    /// Pairs two rails into rungs, walking both from start to end and always taking the shorter next rung (the
    /// classic shortest-diagonal strip between two contours), so a rail that runs longer round the outside of a bend
    /// advances more than the inner one and the inner rail's corner becomes the pivot of a fan: a mitred corner.
    /// Closed rails (a ring round a hole, a closed stroke) start at the point of <paramref name="b"/> nearest the
    /// start of <paramref name="a"/>, and go round once.
    /// </summary>
    public static List<(Vec A, Vec B)> Zip(IReadOnlyList<Vec> a, IReadOnlyList<Vec> b, bool closed)
    {
        // Every corner kept (a mitre's tip, the crossing inside a turn: the pivot of its fan), edges cut finer than the step.
        var ra = Resample.Run(a, closed, Step);
        var rb = Resample.Run(b, closed, Step);
        if (closed)
        {
            ra.RemoveAt(ra.Count - 1);
            rb.RemoveAt(rb.Count - 1);
            if (Math.Sign(SignedArea(ra)) != Math.Sign(SignedArea(rb)))
            {
                rb.Reverse();
            }

            var start = 0;
            for (var j = 1; j < rb.Count; j++)
            {
                if (Vec.Distance(rb[j], ra[0]) < Vec.Distance(rb[start], ra[0]))
                {
                    start = j;
                }
            }

            rb = rb.Skip(start).Concat(rb.Take(start)).ToList();
            ra.Add(ra[0]);
            rb.Add(rb[0]);
        }

        var rungs = new List<(Vec A, Vec B)>(ra.Count + rb.Count) { (ra[0], rb[0]) };
        var (i, k) = (0, 0);
        while (i < ra.Count - 1 || k < rb.Count - 1)
        {
            var advanceA = k == rb.Count - 1 ||
                (i < ra.Count - 1 && Vec.Distance(ra[i + 1], rb[k]) <= Vec.Distance(ra[i], rb[k + 1]));
            if (advanceA)
            {
                i++;
            }
            else
            {
                k++;
            }

            rungs.Add((ra[i], rb[k]));
        }

        return DropEdgeRuns(rungs);
    }

    /// <summary>
    /// Rungs at the spacing of the satin: a new stitch whenever either rail has advanced by the spacing for the
    /// rung's width (<see cref="Satin.Spacing"/>), so the outside of a bend keeps the full density; the first and last
    /// rungs are always kept.
    /// </summary>
    public static List<(Vec A, Vec B)> Spaced(List<(Vec A, Vec B)> rungs, double baseSpacing)
    {
        var result = new List<(Vec A, Vec B)> { rungs[0] };
        var (sinceA, sinceB) = (0.0, 0.0);
        for (var r = 1; r < rungs.Count; r++)
        {
            var (from, to) = (rungs[r - 1], rungs[r]);
            var (dA, dB) = (Vec.Distance(from.A, to.A), Vec.Distance(from.B, to.B));
            var t0 = 0.0;
            while (true)
            {
                var at = Lerp(from, to, t0);
                var spacing = Satin.Spacing(baseSpacing, Vec.Distance(at.A, at.B));
                var tA = dA > 1e-12 ? t0 + (spacing - sinceA) / dA : double.MaxValue;
                var tB = dB > 1e-12 ? t0 + (spacing - sinceB) / dB : double.MaxValue;
                var t = Math.Min(tA, tB);
                if (t > 1)
                {
                    break;
                }

                result.Add(Lerp(from, to, t));
                (sinceA, sinceB, t0) = (0, 0, t);
            }

            sinceA += (1 - t0) * dA;
            sinceB += (1 - t0) * dB;
        }

        if (sinceA > 1e-9 || sinceB > 1e-9)
        {
            result.Add(rungs[^1]);
        }

        return result;
    }

    /// <summary>
    /// The top stitches: rail A then rail B at each rung. Where one side crowds (the inside of a tight bend), every
    /// penetration closer than half the spacing to the last full one on that side is a short stitch, a third of the
    /// way in, so the needle does not pile holes into one spot; full ends reach <paramref name="pull"/> past the rail.
    /// A point <paramref name="allowed"/> refuses (a rung that dips across a concave edge) stays on the rail itself.
    /// </summary>
    public static List<Vec> Top(List<(Vec A, Vec B)> rungs, double baseSpacing, double pull, Func<Vec, bool> allowed)
    {
        var result = new List<Vec>(rungs.Count * 2);
        Vec? lastA = null, lastB = null;
        foreach (var (a, b) in rungs)
        {
            var width = Vec.Distance(a, b);
            var across = (b - a).Unit;
            var crowd = Satin.Spacing(baseSpacing, width) / 2;
            result.Add(End(a, b, across * -1, ref lastA));
            result.Add(End(b, a, across, ref lastB));

            Vec End(Vec p, Vec other, Vec outward, ref Vec? last)
            {
                if (last is { } l && Vec.Distance(l, p) < crowd && width > 1.5 && Vec.Lerp(p, other, 1.0 / 3) is var inward && allowed(inward))
                {
                    return inward;
                }

                last = p;
                var reach = p + outward * pull;
                return allowed(reach) ? reach : p;
            }
        }

        return result;
    }

    /// <summary>Centre run underlay: the middles of the rungs, stitched start to end.</summary>
    public static List<Vec> CenterRun(List<(Vec A, Vec B)> rungs, double length) =>
        Resample.Run(Thin(rungs.Select(r => Vec.Lerp(r.A, r.B, 0.5)).ToList()), closed: false, length);

    /// <summary>Zig-zag underlay: rungs every <paramref name="spacing"/>, inset from both rails, walked end to start.</summary>
    public static List<Vec> ZigzagUnderlay(List<(Vec A, Vec B)> rungs, double inset, double spacing)
    {
        var result = new List<Vec>();
        foreach (var (a, b) in Enumerable.Reverse(Spaced(rungs, spacing)))
        {
            var width = Vec.Distance(a, b);
            if (width - 2 * inset < 0.3)
            {
                continue;
            }

            result.Add(Vec.Lerp(a, b, inset / width));
            result.Add(Vec.Lerp(b, a, inset / width));
        }

        return result;
    }

    /// <summary>
    /// True when every rung is at most <paramref name="maxWidth"/> and points along it lie inside the shape; the first
    /// and last are exempt from the second test, as a flat end's rung lies on the outline itself.
    /// </summary>
    public static bool Fits(List<(Vec A, Vec B)> rungs, double maxWidth, Func<Vec, bool> inside)
    {
        if (rungs.Any(r => Vec.Distance(r.A, r.B) > maxWidth))
        {
            return false;
        }

        for (var r = 1; r < rungs.Count - 1; r += 2)
        {
            var (a, b) = rungs[r];
            if (!inside(Vec.Lerp(a, b, 0.25)) || !inside(Vec.Lerp(a, b, 0.5)) || !inside(Vec.Lerp(a, b, 0.75)))
            {
                return false;
            }
        }

        return true;
    }

    public static double SignedArea(IReadOnlyList<Vec> ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Count; i++)
        {
            var (p, q) = (ring[i], ring[(i + 1) % ring.Count]);
            sum += p.X * q.Y - q.X * p.Y;
        }

        return sum / 2;
    }

    private static (Vec A, Vec B) Lerp((Vec A, Vec B) from, (Vec A, Vec B) to, double t) =>
        (Vec.Lerp(from.A, to.A, t), Vec.Lerp(from.B, to.B, t));

    // A flat end seen from a point on it: the first rungs lie along the end itself, each inside the next. Only the
    // whole end is a stitch; the same at the far end.
    private static List<(Vec A, Vec B)> DropEdgeRuns(List<(Vec A, Vec B)> rungs)
    {
        var start = 0;
        while (start < rungs.Count - 2 && Within(rungs[start], rungs[start + 1]))
        {
            start++;
        }

        var end = rungs.Count - 1;
        while (end > start + 1 && Within(rungs[end], rungs[end - 1]))
        {
            end--;
        }

        return rungs.GetRange(start, end - start + 1);
    }

    private static bool Within((Vec A, Vec B) inner, (Vec A, Vec B) outer)
    {
        if (Vec.Distance(inner.A, inner.B) < 1e-9)
        {
            return true;
        }

        var len = Vec.Distance(outer.A, outer.B);
        if (len < 1e-9 || Vec.Distance(inner.A, inner.B) > len)
        {
            return false;
        }

        var n = (outer.B - outer.A).Unit.Normal;
        static double Dot(Vec u, Vec v) => u.X * v.X + u.Y * v.Y;
        return Math.Abs(Dot(inner.A - outer.A, n)) < 0.05 && Math.Abs(Dot(inner.B - outer.A, n)) < 0.05;
    }

    private static List<Vec> Thin(List<Vec> points)
    {
        var result = new List<Vec> { points[0] };
        foreach (var p in points.Skip(1))
        {
            if (Vec.Distance(result[^1], p) >= Step)
            {
                result.Add(p);
            }
        }

        if (result.Count == 1 || result[^1] != points[^1])
        {
            result.Add(points[^1]);
        }

        return result;
    }
}
