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

    /// <summary>
    /// Placement orders the marker search tries beyond the greedy one (<see cref="Millwright.Tailoring.Nesting.MarkerSearch"/>).
    /// 0 by default: greedy bottom-left, because 150 orders cost a jacket order tens of seconds on a loaded 2-core
    /// machine (docs/benchmarks.md); <c>c2m pattern</c> searches by default, offline.
    /// </summary>
    public int NestingEvaluations { get; init; }

    /// <summary>Plan timing (<see cref="GarmentTiming"/>): the cutter's knife speed along the marker's cut lines, mm/s.</summary>
    public double KnifeMmPerSecond { get; init; } = 250;

    /// <summary>Plan timing: sewing speed along the seams, mm/s (machines sew faster; an operator aligns and turns each seam).</summary>
    public double SewingMmPerSecond { get; init; } = 40;

    /// <summary>Plan timing: an operator's handling per cut piece at a sewing station, s.</summary>
    public double HandlingSecondsPerPiece { get; init; } = 45;
}
