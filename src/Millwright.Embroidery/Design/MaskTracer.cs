using Millwright.Embroidery.Geometry;
using SkiaSharp;

namespace Millwright.Embroidery.Design;

/// <summary>
/// Turns the cells of one colour into an outline: the cells' row runs are united in an <see cref="SKRegion"/>
/// (exact, and fast for rectangles), its boundary is taken as rings, and each ring's pixel staircase is straightened
/// (Douglas-Peucker within 0.6 of a cell) so that a diagonal edge becomes one line rather than a stair the digitizer
/// would follow. Rings keep their holes (even-odd fill).
/// </summary>
internal static class MaskTracer
{
    private const double Tolerance = 0.6;

    public static SKPath Trace(int[] cells, int width, int height, int colour, double cellMm)
    {
        using var region = new SKRegion();
        for (var y = 0; y < height; y++)
        {
            var x = 0;
            while (x < width)
            {
                if (cells[(y * width) + x] != colour)
                {
                    x++;
                    continue;
                }

                var start = x;
                while (x < width && cells[(y * width) + x] == colour)
                {
                    x++;
                }

                region.Op(new SKRectI(start, y, x, y + 1), SKRegionOperation.Union);
            }
        }

        using var boundary = region.GetBoundaryPath();
        using var outline = new SKPathBuilder();
        foreach (var ring in Contours.Flatten(boundary))
        {
            var points = Straighten(ring.Points);
            if (points.Count < 3)
            {
                continue;
            }

            outline.MoveTo((float)(points[0].X * cellMm), (float)(points[0].Y * cellMm));
            for (var i = 1; i < points.Count; i++)
            {
                outline.LineTo((float)(points[i].X * cellMm), (float)(points[i].Y * cellMm));
            }

            outline.Close();
        }

        var path = outline.Detach();
        path.FillType = SKPathFillType.EvenOdd;
        return path;
    }

    /// <summary>Douglas-Peucker on a closed ring, split at its first point and the point farthest from it.</summary>
    private static List<Vec> Straighten(IReadOnlyList<Vec> ring)
    {
        var points = ring.ToList();
        if (points.Count > 1 && points[0] == points[^1])
        {
            points.RemoveAt(points.Count - 1);
        }

        if (points.Count < 4)
        {
            return points;
        }

        var far = 0;
        for (var i = 1; i < points.Count; i++)
        {
            if ((points[i] - points[0]).Length > (points[far] - points[0]).Length)
            {
                far = i;
            }
        }

        var keep = new bool[points.Count + 1];
        keep[0] = keep[far] = keep[points.Count] = true;
        var closed = points.Append(points[0]).ToList();
        Simplify(closed, 0, far, keep);
        Simplify(closed, far, points.Count, keep);
        return Enumerable.Range(0, points.Count).Where(i => keep[i]).Select(i => points[i]).ToList();
    }

    private static void Simplify(List<Vec> points, int from, int to, bool[] keep)
    {
        // An explicit stack: a long ring would recurse as deep as it has points.
        var stack = new Stack<(int From, int To)>();
        stack.Push((from, to));
        while (stack.Count > 0)
        {
            var (a, b) = stack.Pop();
            var (best, at) = (0.0, -1);
            for (var i = a + 1; i < b; i++)
            {
                var d = DistanceToLine(points[i], points[a], points[b]);
                if (d > best)
                {
                    (best, at) = (d, i);
                }
            }

            if (at >= 0 && best > Tolerance)
            {
                keep[at] = true;
                stack.Push((a, at));
                stack.Push((at, b));
            }
        }
    }

    private static double DistanceToLine(Vec p, Vec a, Vec b)
    {
        var ab = b - a;
        var length = ab.Length;
        if (length == 0)
        {
            return (p - a).Length;
        }

        return Math.Abs((ab.X * (p.Y - a.Y)) - (ab.Y * (p.X - a.X))) / length;
    }
}
