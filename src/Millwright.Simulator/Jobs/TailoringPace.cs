namespace Millwright.Simulator.Jobs;

/// <summary>
/// How fast the tailoring cell works a made-to-measure garment: the cutter's knife speed along the cut lines (a
/// single-ply cutter runs its knife at some 10-30 m/min along curves), sewing speed along the seams with handling
/// time per piece (industrial machines sew 3,000 stitches/min but an operator aligns, turns and presses each seam).
/// </summary>
internal sealed record TailoringPace
{
    public static readonly TailoringPace Default = new();

    public double KnifeMmPerSecond { get; init; } = 250;

    public double SewingMmPerSecond { get; init; } = 40;

    public double HandlingSecondsPerPiece { get; init; } = 45;
}
