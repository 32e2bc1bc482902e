using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// The rails of a satin along a stroke: the centre line offset by half the width to either side, joined the way
/// Skia strokes with <see cref="MiterLimit"/> (the region the checks hold the stitches to is drawn the same way). On
/// the outside of a turn the rail runs out to the mitre point, or is bevelled when the turn is sharper than the limit
/// allows (over 120°: the tip of a long mitre would be a heap of stitch ends); on the inside it turns at the point
/// where the two offset edges cross.
/// </summary>
internal static class StrokeRails
{
    /// <summary>Mitre length over half the width, as Skia's and SVG's stroke-miterlimit.</summary>
    public const double MiterLimit = 2;

    public static (List<Vec> Left, List<Vec> Right) Offset(IReadOnlyList<Vec> line, bool closed, double half)
    {
        var points = Distinct(line, closed);
        var (left, right) = (new List<Vec>(), new List<Vec>());
        var n = points.Count;
        for (var i = 0; i < n; i++)
        {
            var hasBefore = closed || i > 0;
            var hasAfter = closed || i < n - 1;
            var before = hasBefore ? points[i] - points[(i - 1 + n) % n] : points[(i + 1) % n] - points[i];
            var after = hasAfter ? points[(i + 1) % n] - points[i] : before;
            var (n1, n2) = (before.Unit.Normal, after.Unit.Normal);
            if (!hasBefore || !hasAfter)
            {
                left.Add(points[i] + n1 * half);
                right.Add(points[i] - n1 * half);
                continue;
            }

            var cross = before.X * after.Y - before.Y * after.X;
            // cos of half the turn: the mitre point lies half / cosHalf from the vertex along the mean normal.
            var mean = (n1 + n2).Unit;
            var cosHalf = mean.X * n1.X + mean.Y * n1.Y;
            var reach = cosHalf > 1e-6 ? half / cosHalf : double.MaxValue;
            // Inside the turn the edges cross within both segments unless they are shorter than the mitre's reach along them.
            var along = reach == double.MaxValue ? double.MaxValue : Math.Sqrt(Math.Max(0, reach * reach - half * half));
            var fits = along <= Math.Min(before.Length, after.Length);
            Join(cross > 0 ? right : left, points[i], cross > 0 ? -1 : 1, outer: true);
            Join(cross > 0 ? left : right, points[i], cross > 0 ? 1 : -1, outer: false);

            void Join(List<Vec> rail, Vec p, int side, bool outer)
            {
                if (reach / half <= MiterLimit || (!outer && fits))
                {
                    rail.Add(p + mean * (side * reach));
                }
                else
                {
                    rail.Add(p + n1 * (side * half));
                    rail.Add(p + n2 * (side * half));
                }
            }
        }

        return (left, right);
    }

    private static List<Vec> Distinct(IReadOnlyList<Vec> line, bool closed)
    {
        var result = new List<Vec>();
        foreach (var p in line)
        {
            if (result.Count == 0 || Vec.Distance(result[^1], p) > 1e-6)
            {
                result.Add(p);
            }
        }

        if (closed && result.Count > 1 && Vec.Distance(result[0], result[^1]) <= 1e-6)
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }
}
