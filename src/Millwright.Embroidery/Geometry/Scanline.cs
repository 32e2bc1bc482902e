namespace Millwright.Embroidery.Geometry;

/// <summary>
/// Cuts a region (closed rings, even-odd, as Skia's Simplify leaves them: no overlaps, holes as inner rings) into
/// parallel rows. Rows run along <c>angle</c>; in the rotated frame they are horizontal, <c>spacing</c> apart, and
/// each row holds the inside spans in order. Holes fall out of the even-odd pairing.
/// </summary>
public static class Scanline
{
    public sealed record Row(int Index, double Y, IReadOnlyList<(double X0, double X1)> Spans);

    /// <summary>The rings turned into the frame whose X axis runs along <paramref name="angle"/>.</summary>
    public static List<Vec[]> ToFrame(IEnumerable<IReadOnlyList<Vec>> rings, double angle) =>
        rings.Select(r => r.Select(p => p.Rotate(-angle)).ToArray()).ToList();

    public static List<Row> Rows(IReadOnlyList<Vec[]> framed, double spacing)
    {
        var rows = new List<Row>();
        if (framed.Count == 0)
        {
            return rows;
        }

        var minY = framed.SelectMany(r => r).Min(p => p.Y);
        var maxY = framed.SelectMany(r => r).Max(p => p.Y);
        var xs = new List<double>();
        var index = 0;
        for (var y = minY + spacing / 2; y < maxY; y += spacing, index++)
        {
            xs.Clear();
            foreach (var ring in framed)
            {
                for (var i = 0; i < ring.Length; i++)
                {
                    var (a, b) = (ring[i], ring[(i + 1) % ring.Length]);
                    // Half-open rule: a vertex on the row counts for one of its two edges only.
                    if ((a.Y <= y) != (b.Y <= y))
                    {
                        xs.Add(a.X + (y - a.Y) / (b.Y - a.Y) * (b.X - a.X));
                    }
                }
            }

            xs.Sort();
            var spans = new List<(double, double)>();
            for (var i = 0; i + 1 < xs.Count; i += 2)
            {
                if (xs[i + 1] - xs[i] > 1e-6)
                {
                    spans.Add((xs[i], xs[i + 1]));
                }
            }

            rows.Add(new Row(index, y, spans));
        }

        return rows;
    }

    /// <summary>The direction (radians, 0..π) across which the rings are narrowest: satin stitches run along it.</summary>
    public static (double Angle, double Width) Narrowest(IReadOnlyList<IReadOnlyList<Vec>> rings)
    {
        var best = (Angle: 0.0, Width: double.MaxValue);
        for (var step = 0; step < 36; step++)
        {
            var angle = step * Math.PI / 36;
            var d = new Vec(Math.Cos(angle), Math.Sin(angle));
            double lo = double.MaxValue, hi = double.MinValue;
            foreach (var p in rings.SelectMany(r => r))
            {
                var t = p.X * d.X + p.Y * d.Y;
                lo = Math.Min(lo, t);
                hi = Math.Max(hi, t);
            }

            if (hi - lo < best.Width)
            {
                best = (angle, hi - lo);
            }
        }

        return best;
    }
}
