using Millwright.Tailoring.Patterns;
using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Nesting;

/// <summary>
/// Greedy bottom-left nesting: the copies are placed largest first, each where it lies furthest back along the
/// fabric (least x), then nearest the selvedge (least y), in either of the two orientations that keep its grain line
/// along the warp (turned to the x axis, then 0° or 180°). Collisions are tested on a grid of <c>cell</c> mm
/// (<see cref="PieceRaster"/>, conservative: no two placed outlines overlap); mirrored pairs are cut as a left and
/// a right.
/// </summary>
public static class BottomLeftNester
{
    public static Marker Nest(IReadOnlyList<PatternPiece> pieces, double fabricWidth, double cell = 2)
    {
        var copies = new List<(PatternPiece Piece, int Copy, bool Mirrored)>();
        foreach (var piece in pieces)
        {
            for (var c = 0; c < piece.Quantity; c++)
            {
                copies.Add((piece, c, piece.MirroredPair && c % 2 == 1));
            }
        }

        copies.Sort((a, b) => b.Piece.Cut.Area.CompareTo(a.Piece.Cut.Area) is var byArea and not 0 ? byArea : string.CompareOrdinal(a.Piece.Name, b.Piece.Name) is var byName and not 0 ? byName : a.Copy.CompareTo(b.Copy));
        var markerRows = (int)Math.Floor(fabricWidth / cell);
        var occupied = new List<(int From, int To)>[markerRows];
        for (var r = 0; r < markerRows; r++)
        {
            occupied[r] = [];
        }

        var placements = new List<Placement>();
        var length = 0.0;
        foreach (var (piece, copy, mirrored) in copies)
        {
            var grain = piece.GrainLine.Coordinates;
            var (gx, gy) = (grain[^1].X - grain[0].X, grain[^1].Y - grain[0].Y);
            if (mirrored)
            {
                gx = -gx;
            }

            var toWarp = -Math.Atan2(gy, gx) * 180 / Math.PI;
            (int Dx, int Dy, double Rotation, PieceRaster Raster)? best = null;
            foreach (var rotation in new[] { toWarp, toWarp + 180 })
            {
                var oriented = new Placement(piece, copy, mirrored, rotation, 0, 0).Outline;
                var raster = new PieceRaster(oriented, cell);
                if (Fit(occupied, raster, markerRows, best?.Dx ?? int.MaxValue) is { } spot && (best is null || spot.Dx < best.Value.Dx || (spot.Dx == best.Value.Dx && spot.Dy < best.Value.Dy)))
                {
                    best = (spot.Dx, spot.Dy, rotation, raster);
                }
            }

            if (best is not { } b)
            {
                throw new ArgumentException($"{piece.Name} does not fit across a fabric {fabricWidth:0} mm wide");
            }

            for (var r = 0; r < b.Raster.Rows; r++)
            {
                foreach (var (from, to) in b.Raster.Intervals[r])
                {
                    Insert(occupied[b.Dy + r], (from + b.Dx, to + b.Dx));
                }
            }

            var placement = new Placement(piece, copy, mirrored, b.Rotation, (b.Dx * cell) + b.Raster.OffsetX, (b.Dy * cell) + b.Raster.OffsetY);
            placements.Add(placement);
            length = Math.Max(length, placement.Outline.EnvelopeInternal.MaxX);
        }

        return new Marker(fabricWidth, length, placements);
    }

    /// <summary>The least column offset (then least row) where the raster fits; null if it is wider than the fabric.</summary>
    private static (int Dx, int Dy)? Fit(List<(int From, int To)>[] occupied, PieceRaster raster, int markerRows, int bound)
    {
        (int Dx, int Dy)? best = null;
        for (var dy = 0; dy + raster.Rows <= markerRows; dy++)
        {
            var dx = 0;
            var moved = true;
            while (moved && dx <= Math.Min(bound, best?.Dx ?? int.MaxValue))
            {
                moved = false;
                for (var r = 0; r < raster.Rows && !moved; r++)
                {
                    foreach (var (from, to) in raster.Intervals[r])
                    {
                        // Slide right past the first occupied interval this span overlaps: no smaller offset can clear it.
                        foreach (var (a, b) in occupied[dy + r])
                        {
                            if (a <= to + dx && b >= from + dx)
                            {
                                dx = b + 1 - from;
                                moved = true;
                                break;
                            }
                        }

                        if (moved)
                        {
                            break;
                        }
                    }
                }
            }

            if (!moved && (best is null || dx < best.Value.Dx) && dx <= bound)
            {
                best = (dx, dy);
            }
        }

        return best;
    }

    private static void Insert(List<(int From, int To)> row, (int From, int To) span)
    {
        var i = 0;
        while (i < row.Count && row[i].From < span.From)
        {
            i++;
        }

        row.Insert(i, span);
    }
}
