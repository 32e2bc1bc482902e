using Millwright.Embroidery.Digitizing;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Limits and prices of the design service (docs/embroidery.md). The price of a piece is
/// <c>stitches / 1000 × PerThousandStitches + colour changes × PerColourChange + trims × PerTrim</c>; an order adds
/// <c>Setup + threads × PerThread</c> once (hooping, putting each colour on a needle). Amounts are in
/// <see cref="Currency"/>, rounded to cents.
/// </summary>
internal sealed record EmbroideryOptions
{
    /// <summary>Largest upload; under the host's 1 MiB request-body limit (the SVG reader alone allows 2 MiB).</summary>
    public int MaxUploadBytes { get; init; } = 1_000_000;

    /// <summary>Most stitches a design may have: some 2 hours at 800 stitches per minute.</summary>
    public int MaxStitches { get; init; } = 100_000;

    /// <summary>Designs digitized at once on one node; more wait (digitizing a large fill takes a core for a second or more).</summary>
    public int ConcurrentDigitizing { get; init; } = 2;

    public TimeSpan DigitizingPatience { get; init; } = TimeSpan.FromSeconds(20);

    public string Currency { get; init; } = "EUR";

    public decimal PerThousandStitches { get; init; } = 0.60m;

    public decimal PerColourChange { get; init; } = 0.25m;

    public decimal PerTrim { get; init; } = 0.05m;

    public decimal Setup { get; init; } = 15.00m;

    public decimal PerThread { get; init; } = 1.50m;

    /// <summary>The speed the design's estimated run time assumes, and plan timing for a machine not set up.</summary>
    public int StitchesPerMinute { get; init; } = 800;

    /// <summary>A trim's and a colour change's stop, and the operator threading a needle, on a machine not set up otherwise.</summary>
    public double TrimSeconds { get; init; } = 3;

    public double ColourChangeSeconds { get; init; } = 6;

    public double RethreadSeconds { get; init; } = 60;

    /// <summary>Needles assumed of a machine nobody has set up, threaded with the design's colours in order.</summary>
    public int AssumedNeedles { get; init; } = 12;

    /// <summary>The hoop (mm) a design must fit when the upload names none: a large flat frame for woven and knit.</summary>
    public (double Width, double Height) FlatHoop { get; init; } = (400, 400);

    /// <summary>The cap frame's sewing field (mm), for designs on caps.</summary>
    public (double Width, double Height) CapHoop { get; init; } = (130, 60);

    public (double Width, double Height) HoopFor(Fabric fabric) => fabric == Fabric.Cap ? CapHoop : FlatHoop;
}
