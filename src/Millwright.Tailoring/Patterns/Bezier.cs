using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>Cubic Bézier curves flattened to polylines: pattern curves are stored as the points a cutter follows.</summary>
internal static class Bezier
{
    public const int Segments = 24;

    /// <summary>The points after <paramref name="p0"/> up to and including <paramref name="p3"/>.</summary>
    public static IEnumerable<Coordinate> Cubic(Coordinate p0, Coordinate p1, Coordinate p2, Coordinate p3, int segments = Segments)
    {
        for (var i = 1; i <= segments; i++)
        {
            var t = i / (double)segments;
            var u = 1 - t;
            var a = u * u * u;
            var b = 3 * u * u * t;
            var c = 3 * u * t * t;
            var d = t * t * t;
            yield return new Coordinate((a * p0.X) + (b * p1.X) + (c * p2.X) + (d * p3.X), (a * p0.Y) + (b * p1.Y) + (c * p2.Y) + (d * p3.Y));
        }
    }

    public static double Length(Coordinate start, IEnumerable<Coordinate> points)
    {
        var length = 0.0;
        var previous = start;
        foreach (var p in points)
        {
            length += previous.Distance(p);
            previous = p;
        }

        return length;
    }

    /// <summary>
    /// The x in [lo, hi] where the increasing function <paramref name="f"/> meets <paramref name="target"/>, by
    /// bisection to 1 µm: how a drafter "walks" a seam until it has the length it must have.
    /// </summary>
    public static double Solve(Func<double, double> f, double target, double lo, double hi)
    {
        if (f(lo) > target || f(hi) < target)
        {
            throw new ArgumentException($"the draft cannot reach a length of {target:0.#} mm for these measurements");
        }

        while (hi - lo > 1e-3)
        {
            var mid = (lo + hi) / 2;
            if (f(mid) < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
