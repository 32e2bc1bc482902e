using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Tests;

/// <summary>Measuring drafted pieces the way a tailor checks paper: across a line, or along the outline.</summary>
internal static class Measure
{
    public static double WidthAt(Polygon piece, double y) =>
        piece.Intersection(Geometry.DefaultFactory.CreateLineString([new Coordinate(-1e5, y), new Coordinate(1e5, y)])).Length;

    public static double HeightAt(Polygon piece, double x) =>
        piece.Intersection(Geometry.DefaultFactory.CreateLineString([new Coordinate(x, -1e5), new Coordinate(x, 1e5)])).Length;

    /// <summary>Along the shell from one vertex to another, in the shell's order; independent of the library's own.</summary>
    public static double Along(Polygon piece, Coordinate from, Coordinate to)
    {
        var ring = piece.Shell.Coordinates;
        var n = ring.Length - 1;
        var i = Array.FindIndex(ring, 0, n, c => c.Equals2D(from));
        var end = Array.FindIndex(ring, 0, n, c => c.Equals2D(to));
        Assert.True(i >= 0 && end >= 0, "both points are vertices of the outline");
        var length = 0.0;
        for (; i != end; i = (i + 1) % n)
        {
            length += ring[i].Distance(ring[(i + 1) % n]);
        }

        return length;
    }
}
