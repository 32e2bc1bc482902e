using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Tatami fill: parallel rows at an angle, stitched back and forth, penetrations on a grid that shifts by a
/// fraction of a stitch each row (the stagger) so no furrow forms. Each span reaches <c>pull</c> past the outline
/// on both ends. Spans are chained row to row while the next row's span overlaps; a new chain (a jump) starts
/// where the region branches, so holes and concave parts are respected.
/// </summary>
internal static class Tatami
{
    public static List<List<Vec>> Fill(
        IReadOnlyList<IReadOnlyList<Vec>> rings, double angleDegrees, double spacing, double stitch, int stagger, double pull, double minStitch)
    {
        var angle = angleDegrees * Math.PI / 180;
        var rows = Scanline.Rows(Scanline.ToFrame(rings, angle), spacing);
        var used = rows.Select(r => new bool[r.Spans.Count]).ToArray();
        var chains = new List<List<Vec>>();
        while (true)
        {
            var start = First(rows, used);
            if (start is not var (row, span))
            {
                break;
            }

            var chain = new List<Vec>();
            var forward = true;
            while (true)
            {
                used[row][span] = true;
                var (x0, x1) = rows[row].Spans[span];
                AddRow(chain, rows[row], x0 - pull, x1 + pull, forward, stitch, stagger, minStitch);
                var end = forward ? x1 : x0;
                var next = row + 1 < rows.Count ? Overlapping(rows[row + 1], used[row + 1], x0, x1, end) : null;
                // Going on costs a stitch from this row's end to the next row's near end; too far means a new chain.
                if (next is not { } n || Math.Abs((forward ? rows[row + 1].Spans[n].X1 : rows[row + 1].Spans[n].X0) - end) > Math.Max(stitch, 4 * spacing))
                {
                    break;
                }

                (row, span, forward) = (row + 1, n, !forward);
            }

            chains.Add(chain.Select(p => p.Rotate(angle)).ToList());
        }

        return chains;
    }

    private static (int Row, int Span)? First(List<Scanline.Row> rows, bool[][] used)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            for (var s = 0; s < rows[r].Spans.Count; s++)
            {
                if (!used[r][s])
                {
                    return (r, s);
                }
            }
        }

        return null;
    }

    private static int? Overlapping(Scanline.Row next, bool[] used, double x0, double x1, double end)
    {
        int? best = null;
        var bestDistance = double.MaxValue;
        for (var s = 0; s < next.Spans.Count; s++)
        {
            var (a, b) = next.Spans[s];
            if (used[s] || b < x0 || a > x1)
            {
                continue;
            }

            var d = Math.Min(Math.Abs(a - end), Math.Abs(b - end));
            if (d < bestDistance)
            {
                (best, bestDistance) = (s, d);
            }
        }

        return best;
    }

    private static void AddRow(List<Vec> chain, Scanline.Row row, double a, double b, bool forward, double stitch, int stagger, double minStitch)
    {
        // Grid points x = phase + k * stitch, the phase moving a 1/stagger of a stitch per row.
        var phase = row.Index % stagger * stitch / stagger;
        var xs = new List<double> { a };
        var k = Math.Ceiling((a - phase) / stitch);
        for (var x = phase + k * stitch; x < b; x += stitch)
        {
            if (x - xs[^1] >= minStitch && b - x >= minStitch)
            {
                xs.Add(x);
            }
        }

        xs.Add(b);
        if (!forward)
        {
            xs.Reverse();
        }

        chain.AddRange(xs.Select(x => new Vec(x, row.Y)));
    }
}
