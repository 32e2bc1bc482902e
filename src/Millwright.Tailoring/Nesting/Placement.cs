using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Millwright.Tailoring.Nesting;

/// <summary>
/// One cut copy of a piece on the marker: the piece's frame is mirrored (x → −x) if <see cref="Mirrored"/>, then
/// rotated by <see cref="RotationDegrees"/> (counter-clockwise in the piece frame's axes) and moved by
/// (<see cref="X"/>, <see cref="Y"/>). Marker x runs along the fabric (the warp), y across its width.
/// </summary>
public sealed record Placement(Patterns.PatternPiece Piece, int Copy, bool Mirrored, double RotationDegrees, double X, double Y)
{
    public AffineTransformation Transform
    {
        get
        {
            var t = new AffineTransformation();
            if (Mirrored)
            {
                t.Scale(-1, 1);
            }

            t.Rotate(RotationDegrees * Math.PI / 180);
            t.Translate(X, Y);
            return t;
        }
    }

    /// <summary>The cut outline where it lies on the marker.</summary>
    public Polygon Outline => (Polygon)Transform.Transform(Piece.Cut);

    public Geometry Place(Geometry geometry) => Transform.Transform(geometry);
}
