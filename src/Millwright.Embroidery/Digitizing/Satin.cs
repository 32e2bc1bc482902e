using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Satin columns: stitches straight across a narrow shape, alternating sides. Narrow columns are opened up a
/// little (more space between stitches below 2 mm wide) so the needle does not cut the fabric.
/// </summary>
internal static class Satin
{
    /// <summary>Spacing for a column of this width: the base from 2 mm up, up to 1.5 times it as the width nears 0.</summary>
    public static double Spacing(double baseSpacing, double width) =>
        width >= 2 ? baseSpacing : baseSpacing * (1 + 0.5 * (2 - width) / 2);

    /// <summary>
    /// The rows of a fill shape across its narrowest direction, when it is a column: every row one span, none wider
    /// than <paramref name="maxWidth"/>. Null when the shape branches or is too wide.
    /// </summary>
    public static (double Angle, List<Scanline.Row> Rows)? Column(IReadOnlyList<IReadOnlyList<Vec>> rings, double spacing, double maxWidth)
    {
        var (angle, _) = Scanline.Narrowest(rings);
        // Rows run along the narrow direction, so each row's span is one stitch straight across the column.
        var framed = Scanline.ToFrame(rings, angle);
        // Probe at a fine step first: the width decides the spacing.
        var probe = Scanline.Rows(framed, spacing);
        if (probe.Count < 2 || probe.Any(r => r.Spans.Count != 1) || probe.Max(r => r.Spans[0].X1 - r.Spans[0].X0) > maxWidth)
        {
            return null;
        }

        var median = probe.Select(r => r.Spans[0].X1 - r.Spans[0].X0).Order().ElementAt(probe.Count / 2);
        var rows = Scanline.Rows(framed, Spacing(spacing, median));
        return rows.Count < 2 || rows.Any(r => r.Spans.Count != 1) ? null : (angle, rows);
    }

    /// <summary>Top stitches of a column: each row's span grown by <paramref name="pull"/>, left then right.</summary>
    public static List<Vec> Top(double angle, List<Scanline.Row> rows, double pull) =>
        Zigzag(angle, rows, -pull, reverse: false);

    /// <summary>Zig-zag underlay: every few rows, inset, walked from the far end back to the start.</summary>
    public static List<Vec> ZigzagUnderlay(double angle, List<Scanline.Row> rows, double inset, int every) =>
        Zigzag(angle, rows.Where((_, i) => i % every == 0).ToList(), inset, reverse: true);

    /// <summary>Centre run underlay: the middles of the rows, start to end.</summary>
    public static List<Vec> CenterRun(double angle, List<Scanline.Row> rows, int every) =>
        rows.Where((r, i) => i % every == 0 || i == rows.Count - 1)
            .Select(r => new Vec((r.Spans[0].X0 + r.Spans[0].X1) / 2, r.Y).Rotate(angle)).ToList();

    /// <summary>A satin along a stroke's centre line: penetrations at ±half, alternating, every spacing.</summary>
    public static List<Vec> AlongLine(IReadOnlyList<Vec> line, bool closed, double half, double spacing)
    {
        var points = Resample.Even(line, closed, spacing);
        var result = new List<Vec>(points.Count * 2);
        for (var i = 0; i < points.Count; i++)
        {
            var before = points[Math.Max(0, i - 1)];
            var after = points[Math.Min(points.Count - 1, i + 1)];
            var n = (after - before).Unit.Normal;
            result.Add(points[i] + n * half);
            result.Add(points[i] - n * half);
        }

        return result;
    }

    private static List<Vec> Zigzag(double angle, List<Scanline.Row> rows, double inset, bool reverse)
    {
        var result = new List<Vec>();
        var ordered = reverse ? Enumerable.Reverse(rows) : rows;
        foreach (var row in ordered)
        {
            var (a, b) = (row.Spans[0].X0 + inset, row.Spans[0].X1 - inset);
            if (b - a < 0.3)
            {
                continue;
            }

            result.Add(new Vec(a, row.Y).Rotate(angle));
            result.Add(new Vec(b, row.Y).Rotate(angle));
        }

        return result;
    }
}
