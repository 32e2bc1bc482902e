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
        var copies = Copies(pieces, cell);
        return Decode(copies, [.. Enumerable.Range(0, copies.Count)], fabricWidth, cell, double.PositiveInfinity)
            ?? throw new InvalidOperationException("an unbounded layout always completes");
    }

    /// <summary>One cut copy and its two grain-keeping orientations, rasterized once (the costly part) for every layout tried.</summary>
    internal sealed record Copy(PatternPiece Piece, int Number, bool Mirrored, (double Rotation, PieceRaster Raster)[] Orientations);

    /// <summary>Every copy to cut, largest first (the greedy order), with its orientations.</summary>
    internal static List<Copy> Copies(IReadOnlyList<PatternPiece> pieces, double cell)
    {
        var copies = new List<Copy>();
        foreach (var piece in pieces)
        {
            for (var c = 0; c < piece.Quantity; c++)
            {
                var mirrored = piece.MirroredPair && c % 2 == 1;
                var grain = piece.GrainLine.Coordinates;
                var (gx, gy) = (grain[^1].X - grain[0].X, grain[^1].Y - grain[0].Y);
                if (mirrored)
                {
                    gx = -gx;
                }

                var toWarp = -Math.Atan2(gy, gx) * 180 / Math.PI;
                copies.Add(new Copy(piece, c, mirrored,
                    [.. new[] { toWarp, toWarp + 180 }.Select(r => (r, new PieceRaster(new Placement(piece, c, mirrored, r, 0, 0).Outline, cell)))]));
            }
        }

        copies.Sort((a, b) => b.Piece.Cut.Area.CompareTo(a.Piece.Cut.Area) is var byArea and not 0 ? byArea : string.CompareOrdinal(a.Piece.Name, b.Piece.Name) is var byName and not 0 ? byName : a.Number.CompareTo(b.Number));
        return copies;
    }

    /// <summary>
    /// Places the copies in <paramref name="order"/>, each bottom-left in its better orientation; null as soon as the
    /// marker would reach <paramref name="giveUpAt"/> mm (a search need not finish a layout it cannot keep).
    /// </summary>
    internal static Marker? Decode(IReadOnlyList<Copy> copies, IReadOnlyList<int> order, double fabricWidth, double cell, double giveUpAt)
    {
        var markerRows = (int)Math.Floor(fabricWidth / cell);
        var occupied = new List<(int From, int To)>[markerRows];
        for (var r = 0; r < markerRows; r++)
        {
            occupied[r] = [];
        }

        var placements = new List<Placement>();
        var length = 0.0;
        foreach (var index in order)
        {
            var (piece, copy, mirrored, orientations) = copies[index];
            (int Dx, int Dy, double Rotation, PieceRaster Raster)? best = null;
            foreach (var (rotation, raster) in orientations)
            {
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
            length = Math.Max(length, (b.Dx * cell) + b.Raster.Width);
            if (length >= giveUpAt)
            {
                return null;
            }
        }

        // The exact length: the placed outlines' furthest point (the grid's bound above is within a cell of it).
        return new Marker(fabricWidth, placements.Max(p => p.Outline.EnvelopeInternal.MaxX), placements);
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
