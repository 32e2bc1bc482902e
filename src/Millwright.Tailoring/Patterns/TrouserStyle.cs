namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The ease and style values of the trouser block (mm). The outseam runs from the waist (at the omphalion, where
/// ANSUR measures it) to the hem; the inseam from the crotch to the hem, 3 cm above the floor.
/// </summary>
public sealed record TrouserStyle
{
    public double HipEase { get; init; } = 60;

    public double WaistEase { get; init; } = 20;

    /// <summary>Added to the waist height (omphalion): trousers rise 4 cm above the body's crotch, end 3 cm above the floor.</summary>
    public double OutseamEase { get; init; } = 10;

    /// <summary>Added to the crotch height: the hem 3 cm above the floor.</summary>
    public double InseamEase { get; init; } = -30;

    public double SeamAllowance { get; init; } = 10;
}
