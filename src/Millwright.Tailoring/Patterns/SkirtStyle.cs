namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The ease and style values of the women's straight skirt block (mm). The skirt hangs from the body's waist (at the
/// omphalion, where ANSUR II measures it) to <see cref="BelowKnee"/> under the middle of the knee cap.
/// </summary>
public sealed record SkirtStyle
{
    public double HipEase { get; init; } = 40;

    public double WaistEase { get; init; } = 10;

    /// <summary>The hem's distance below the knee (mid patella): a knee-length skirt.</summary>
    public double BelowKnee { get; init; } = 50;

    /// <summary>The side seam rises this much above the centre at the waist (the hip's curve over the pelvis).</summary>
    public double SideRise { get; init; } = 10;

    /// <summary>The centre back waist drops this much below the side-to-side waist line (the back waist sits lower).</summary>
    public double BackDrop { get; init; } = 10;

    /// <summary>The front's quarter is this much wider than a quarter of the hip, the back's this much narrower: the side seam sits toward the back.</summary>
    public double SideSeamShift { get; init; } = 10;

    /// <summary>The most the side seam takes in between hip and waist per quarter; the rest goes into darts.</summary>
    public double SideSuppression { get; init; } = 25;

    /// <summary>The widest dart opening at the waist; two darts per quarter when one would be wider, and the side seam takes what two cannot.</summary>
    public double MaxDart { get; init; } = 30;

    public double WaistbandDepth { get; init; } = 35;

    /// <summary>The waistband's overlap at the back opening, for the button.</summary>
    public double WaistbandOverlap { get; init; } = 30;

    public double SeamAllowance { get; init; } = 10;
}
