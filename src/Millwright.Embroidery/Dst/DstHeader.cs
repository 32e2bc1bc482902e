namespace Millwright.Embroidery.Dst;

/// <summary>
/// The fields of the 512-byte DST header, each a tag, a fixed-width value and a carriage return:
/// LA (label, 16), ST (stitch records, 7), CO (colour changes, 3), +X, -X, +Y, -Y (extents, 5 each), AX, AY (the
/// end point, sign and 5), MX, MY (multi-volume offsets, sign and 5) and PD (previous file, 6), then 0x1A and
/// spaces to 512. Units are tenths of a millimetre. ST counts the records before END.
/// </summary>
public sealed record DstHeader(
    string Label,
    int Records,
    int ColorChanges,
    int PlusX,
    int MinusX,
    int PlusY,
    int MinusY,
    int EndX,
    int EndY)
{
    public const int Length = 512;

    /// <summary>Where each field's tag starts, and how many value characters follow it before the CR.</summary>
    internal static readonly (string Tag, int Offset, int Width)[] Fields =
    [
        ("LA:", 0, 16), ("ST:", 20, 7), ("CO:", 31, 3), ("+X:", 38, 5), ("-X:", 47, 5), ("+Y:", 56, 5), ("-Y:", 65, 5),
        ("AX:", 74, 6), ("AY:", 84, 6), ("MX:", 94, 6), ("MY:", 104, 6), ("PD:", 114, 6),
    ];

    /// <summary>Offset of the 0x1A after the last field.</summary>
    internal const int EndOfFields = 124;
}
