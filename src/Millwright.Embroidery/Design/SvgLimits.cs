namespace Millwright.Embroidery.Design;

/// <summary>
/// What the SVG reader accepts: documents up to 2 MiB, up to 5,000 shapes and 200,000 path points in all. Over
/// these a design is refused as too complex rather than digitized for minutes.
/// </summary>
public sealed record SvgLimits
{
    public int MaxBytes { get; init; } = 2 * 1024 * 1024;

    public int MaxShapes { get; init; } = 5_000;

    public int MaxPathPoints { get; init; } = 200_000;
}
