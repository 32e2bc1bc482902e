using Millwright.Tailoring.Patterns;
using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Tests;

/// <summary>What every drafted piece must be, whatever the block: closed simple outlines, the seam allowance all round, notches and grain inside.</summary>
internal static class PieceChecks
{
    public static void WellFormed(PatternPiece piece, string what)
    {
        Assert.True(piece.Net.Shell.IsClosed && piece.Net.Shell.IsSimple && piece.Net.IsValid, $"{what}: net outline self-intersects");
        Assert.True(piece.Cut.Shell.IsSimple && piece.Cut.IsValid && piece.Cut.NumInteriorRings == 0, $"{what}: cut outline self-intersects");
        Assert.True(piece.Cut.Contains(piece.Net), $"{what}: the cut outline does not contain the net outline");
        // NetTopologySuite's buffer flattens its offset curves to within about 0.012 mm; 0.05 mm is far below what
        // a cutter resolves.
        var allowance = piece.Cut.Shell.Distance(piece.Net);
        Assert.True(allowance >= piece.SeamAllowance - 0.05, $"{what}: the seam allowance is {allowance:0.000} mm somewhere, not {piece.SeamAllowance}");
        Assert.True(piece.Net.Contains(piece.GrainLine), $"{what}: grain line outside the piece");
        foreach (var notch in piece.Notches)
        {
            Assert.True(piece.Net.Shell.Distance(Point(notch.At)) < 1e-9, $"{what}: notch {notch.Name} is off the seam line");
            Assert.True(piece.Net.Contains(Point(new Coordinate(notch.At.X + notch.InwardX, notch.At.Y + notch.InwardY))), $"{what}: notch {notch.Name} points outward");
        }
    }

    private static Point Point(Coordinate c) => Geometry.DefaultFactory.CreatePoint(c);
}
