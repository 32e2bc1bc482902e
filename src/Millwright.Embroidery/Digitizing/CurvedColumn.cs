using Millwright.Embroidery.Geometry;
using SkiaSharp;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Narrow curved fill shapes as satin columns: a band round a hole (a ring, a letter O) has its two contours as
/// rails; a single contour (a crescent, an arc, an L) is cut into two rails at its two ends, the points where the
/// outline turns back on itself. The column is taken only when every rung is at most the satin maximum and lies inside
/// the shape; otherwise the shape is filled with tatami.
/// </summary>
internal static class CurvedColumn
{
    private const int Candidates = 6;

    public static List<(Vec A, Vec B)>? Find(SKPath region, IReadOnlyList<IReadOnlyList<Vec>> rings, double maxWidth)
    {
        if (rings.Count is 0 or > 2)
        {
            return null;
        }

        // A column's mean width is about twice its area over its perimeter: a blob is turned away without a search.
        var area = Area(rings);
        var perimeter = rings.Sum(r => Perimeter(r));
        if (area < 1e-6 || 2 * area / perimeter > maxWidth || perimeter / SatinRails.Step > 20_000)
        {
            return null;
        }

        bool Inside(Vec p) => region.Contains((float)p.X, (float)p.Y);
        if (rings.Count == 2)
        {
            var band = SatinRails.Zip(rings[0], rings[1], closed: true);
            return SatinRails.Fits(band, maxWidth, Inside) ? band : null;
        }

        var ring = Resample.Run(rings[0], closed: true, SatinRails.Step);
        ring.RemoveAt(ring.Count - 1);
        List<(Vec A, Vec B)>? best = null;
        var bestWidth = double.MaxValue;
        var ends = Ends(ring, maxWidth);
        for (var x = 0; x < ends.Count; x++)
        {
            for (var y = x + 1; y < ends.Count; y++)
            {
                var (forward, backward) = Split(ring, ends[x], ends[y]);
                var rungs = SatinRails.Zip(forward, backward, closed: false);
                var widest = rungs.Max(r => Vec.Distance(r.A, r.B));
                if (widest < bestWidth && SatinRails.Fits(rungs, maxWidth, Inside))
                {
                    (best, bestWidth) = (rungs, widest);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// True when the shape is a bent band rather than a straight bar: its mean width (twice the area over the
    /// perimeter, which a straight bar's own width at most doubles) is well under its extent across its narrowest direction.
    /// </summary>
    public static bool Bent(IReadOnlyList<IReadOnlyList<Vec>> rings)
    {
        var area = Area(rings);
        var perimeter = rings.Sum(r => Perimeter(r));
        return perimeter > 0 && Scanline.Narrowest(rings).Width > 2.2 * (2 * area / perimeter);
    }

    // Where the outline turns back: the angle between the chord arriving over one column width and the chord
    // leaving over the next is near 180° at an end and small along the sides. The strongest few, apart from one
    // another, are the candidates.
    private static List<int> Ends(List<Vec> ring, double maxWidth)
    {
        var n = ring.Count;
        var k = Math.Clamp((int)Math.Ceiling(maxWidth / SatinRails.Step), 2, Math.Max(2, n / 4));
        var turn = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = (ring[i] - ring[(i - k + n) % n]).Unit;
            var v = (ring[(i + k) % n] - ring[i]).Unit;
            turn[i] = Math.Acos(Math.Clamp(u.X * v.X + u.Y * v.Y, -1, 1));
        }

        var result = new List<int>();
        foreach (var i in Enumerable.Range(0, n).OrderByDescending(i => turn[i]))
        {
            if (turn[i] < Math.PI / 2 || result.Count == Candidates)
            {
                break;
            }

            if (result.All(j => Math.Min(Math.Abs(i - j), n - Math.Abs(i - j)) > k))
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static (List<Vec> Forward, List<Vec> Backward) Split(List<Vec> ring, int from, int to)
    {
        var n = ring.Count;
        var forward = new List<Vec>();
        for (var i = from; ; i = (i + 1) % n)
        {
            forward.Add(ring[i]);
            if (i == to)
            {
                break;
            }
        }

        var backward = new List<Vec>();
        for (var i = from; ; i = (i - 1 + n) % n)
        {
            backward.Add(ring[i]);
            if (i == to)
            {
                break;
            }
        }

        return (forward, backward);
    }

    // A hole's contour may wind either way after Skia's simplify: the band is the larger ring less the smaller.
    private static double Area(IReadOnlyList<IReadOnlyList<Vec>> rings)
    {
        var areas = rings.Select(r => Math.Abs(SatinRails.SignedArea(r))).Order().ToList();
        return areas.Count == 2 ? areas[1] - areas[0] : areas.Sum();
    }

    private static double Perimeter(IReadOnlyList<Vec> ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Count; i++)
        {
            sum += Vec.Distance(ring[i], ring[(i + 1) % ring.Count]);
        }

        return sum;
    }
}
