namespace Millwright.Features.Tailoring;

/// <summary>
/// The made-to-measure service (docs/made-to-measure.md, "Orders over REST"). The body model is fitted from the
/// ANSUR II files in <see cref="AnsurDirectory"/> (null: $MILLWRIGHT_ANSUR, else the shared checkout layout), once
/// per sex, the first time a customer or an order needs it.
/// </summary>
internal sealed record TailoringOptions
{
    public string? AnsurDirectory { get; init; }

    /// <summary>Garments drafted and nested at once on one node; more wait (a draft and its marker take a core for a moment).</summary>
    public int ConcurrentDrafts { get; init; } = 2;

    public TimeSpan DraftPatience { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The fabric width an order gets when it names none (mm, usable width between the selvedges).</summary>
    public double DefaultFabricWidthMm { get; init; } = 1500;
}
