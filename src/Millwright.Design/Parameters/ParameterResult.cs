namespace Millwright.Design.Parameters;

/// <summary>
/// What a parameter or constraint evaluates to now: its value in its unit, or why it has none (a reference to a
/// parameter that does not exist, a cycle, a unit mismatch). A constraint's <see cref="Holds"/> is false when violated.
/// </summary>
internal sealed record ParameterResult(ParameterRef Ref, string? Text, Quantity? Value, string? Error, bool? Holds)
{
    public bool IsConstraint => Holds is not null || DesignFields.IsComparison(Ref.Field);

    /// <summary>True when the value (or error, or verdict) differs from <paramref name="other"/> as a client would see it.</summary>
    public bool SameAs(ParameterResult? other) =>
        other is not null && other.Text == Text && other.Error == Error && other.Holds == Holds && Shown == other.Shown;

    /// <summary>The value as shown: number and unit, or empty when there is none.</summary>
    public (string Number, string Unit) Shown => Value is { } v && Holds is null ? v.Display() : ("", "");
}
