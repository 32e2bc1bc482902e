using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>Points along polylines: running stitches (corners kept) and even spacing (for satins along lines).</summary>
internal static class Resample
{
    /// <summary>Every corner kept, each edge cut into equal stitches no longer than <paramref name="length"/>.</summary>
    public static List<Vec> Run(IReadOnlyList<Vec> line, bool closed, double length)
    {
        var points = closed ? line.Append(line[0]).ToList() : line.ToList();
        var result = new List<Vec> { points[0] };
        for (var i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            var n = Math.Max(1, (int)Math.Ceiling(Vec.Distance(a, b) / length));
            for (var k = 1; k <= n; k++)
            {
                result.Add(Vec.Lerp(a, b, (double)k / n));
            }
        }

        return result;
    }

    /// <summary>Triple run: every stitch sewn forward, back and forward again.</summary>
    public static List<Vec> Triple(List<Vec> run)
    {
        var result = new List<Vec> { run[0] };
        for (var i = 1; i < run.Count; i++)
        {
            result.Add(run[i]);
            result.Add(run[i - 1]);
            result.Add(run[i]);
        }

        return result;
    }

    /// <summary>Points every <paramref name="spacing"/> of arc length, the start and end included.</summary>
    public static List<Vec> Even(IReadOnlyList<Vec> line, bool closed, double spacing)
    {
        var points = closed ? line.Append(line[0]).ToList() : line.ToList();
        var total = 0.0;
        for (var i = 1; i < points.Count; i++)
        {
            total += Vec.Distance(points[i - 1], points[i]);
        }

        var count = Math.Max(1, (int)Math.Round(total / spacing));
        var step = total / count;
        var result = new List<Vec> { points[0] };
        var (segment, walked) = (1, 0.0);
        for (var k = 1; k <= count; k++)
        {
            var target = k * step;
            while (segment < points.Count - 1 && walked + Vec.Distance(points[segment - 1], points[segment]) < target)
            {
                walked += Vec.Distance(points[segment - 1], points[segment]);
                segment++;
            }

            var len = Vec.Distance(points[segment - 1], points[segment]);
            result.Add(Vec.Lerp(points[segment - 1], points[segment], len < 1e-12 ? 1 : Math.Clamp((target - walked) / len, 0, 1)));
        }

        return result;
    }
}
