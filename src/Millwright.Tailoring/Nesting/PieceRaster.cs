using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Nesting;

/// <summary>
/// A piece in one orientation, as the grid cells it touches: per row of cells the column intervals it occupies.
/// Conservative: every cell the outline touches, even at a corner, is occupied, so pieces whose cells are disjoint
/// cannot overlap. The outline is first moved so its bounding box starts at (0, 0).
/// </summary>
internal sealed class PieceRaster
{
    public PieceRaster(Polygon outline, double cell)
    {
        var envelope = outline.EnvelopeInternal;
        (OffsetX, OffsetY) = (-envelope.MinX, -envelope.MinY);
        var width = envelope.Width;
        var height = envelope.Height;
        Rows = (int)Math.Floor(height / cell) + 1;
        Width = width;
        var moved = (Polygon)new NetTopologySuite.Geometries.Utilities.AffineTransformation().SetToTranslation(OffsetX, OffsetY).Transform(outline);
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(moved);
        Intervals = new (int From, int To)[Rows][];
        for (var r = 0; r < Rows; r++)
        {
            var band = Geometry.DefaultFactory.ToGeometry(new Envelope(-1, width + 1, r * cell, (r + 1) * cell));
            var spans = new List<(int From, int To)>();
            if (prepared.Intersects(band))
            {
                var part = moved.Intersection(band);
                for (var g = 0; g < part.NumGeometries; g++)
                {
                    var e = part.GetGeometryN(g).EnvelopeInternal;
                    if (!e.IsNull)
                    {
                        spans.Add(((int)Math.Floor(e.MinX / cell), (int)Math.Floor(e.MaxX / cell)));
                    }
                }
            }

            Intervals[r] = Merge(spans);
        }
    }

    public double OffsetX { get; }

    public double OffsetY { get; }

    public double Width { get; }

    public int Rows { get; }

    public (int From, int To)[][] Intervals { get; }

    private static (int From, int To)[] Merge(List<(int From, int To)> spans)
    {
        spans.Sort();
        var merged = new List<(int From, int To)>();
        foreach (var s in spans)
        {
            if (merged.Count > 0 && s.From <= merged[^1].To + 1)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, s.To));
            }
            else
            {
                merged.Add(s);
            }
        }

        return merged.ToArray();
    }
}
