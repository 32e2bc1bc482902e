namespace Millwright.Embroidery.Stitches;

/// <summary>
/// One step of a pattern, at an absolute machine position in tenths of a millimetre with Y pointing up (the
/// machine's and the DST file's convention; SVG's Y points down and is flipped when a design is digitized).
/// Trims and colour changes carry the position the needle is at.
/// </summary>
public readonly record struct StitchCommand(StitchKind Kind, int X, int Y)
{
    public static StitchCommand Stitch(int x, int y) => new(StitchKind.Stitch, x, y);

    public static StitchCommand Jump(int x, int y) => new(StitchKind.Jump, x, y);

    public override string ToString() => $"{Kind}({X},{Y})";
}
