namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The ease and style values of the jacket block (mm; girth eases on the whole girth). Defaults are a classic
/// single-breasted jacket: 10 cm chest ease, a 2 cm button extension, a 1 cm seam allowance.
/// </summary>
public sealed record JacketStyle
{
    public double ChestEase { get; init; } = 100;

    public double WaistEase { get; init; } = 120;

    public double HipEase { get; init; } = 100;

    /// <summary>Added to the body's armpit depth below the nape (cervicale height minus axilla height).</summary>
    public double ScyeEase { get; init; } = 50;

    public double BicepsEase { get; init; } = 80;

    public double CuffEase { get; init; } = 130;

    public double SleeveLengthEase { get; init; } = 20;

    /// <summary>How much longer the sleeve crown is than the armhole it is set into.</summary>
    public double CrownEase { get; init; } = 30;

    public double ButtonExtension { get; init; } = 20;

    public double CollarDepth { get; init; } = 70;

    public double SeamAllowance { get; init; } = 10;
}
