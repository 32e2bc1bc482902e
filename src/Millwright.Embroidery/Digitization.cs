using System.Globalization;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Preview;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery;

/// <summary>A design digitized: its shapes, the stitch blocks per shape, the machine pattern and its stats.</summary>
public sealed record Digitization(EmbroideryDesign Design, IReadOnlyList<ShapeWork> Works, StitchPattern Pattern, PatternStats Stats)
{
    /// <summary>
    /// SVG bytes to a checked pattern: read, scale to <paramref name="widthMm"/> if given, digitize for the fabric,
    /// plan, and refuse a design larger than the hoop (width x height in mm) with <see cref="DesignProblem.TooLargeForHoop"/>.
    /// </summary>
    public static Digitization FromSvg(byte[] svg, Fabric fabric, float? widthMm = null, (double Width, double Height)? hoop = null, SvgLimits? limits = null)
    {
        var design = SvgDesignReader.Read(svg, limits);
        if (widthMm is { } w)
        {
            if (w is <= 0 or > 2000)
            {
                throw new ArgumentOutOfRangeException(nameof(widthMm), "the width is between 0 and 2000 mm");
            }

            design = design.ScaledToWidth(w);
        }

        return Digitize(design, fabric, hoop);
    }

    /// <summary>
    /// A PNG or JPEG logo to a checked pattern: traced in <paramref name="colors"/> thread colours at
    /// <paramref name="widthMm"/> (a logo has no physical size of its own), then as <see cref="FromSvg"/>.
    /// </summary>
    public static Digitization FromLogo(byte[] image, Fabric fabric, float widthMm, int colors, (double Width, double Height)? hoop = null, LogoLimits? limits = null)
    {
        if (widthMm is <= 0 or > 2000 || !float.IsFinite(widthMm))
        {
            throw new ArgumentOutOfRangeException(nameof(widthMm), "the width is between 0 and 2000 mm");
        }

        // The hoop is checked on the logo's proportions before it is traced: a poster for a cap costs nothing.
        CheckHoop(widthMm, 0, hoop);
        return Digitize(LogoDesignReader.Read(image, widthMm, colors, limits), fabric, hoop);
    }

    private static Digitization Digitize(EmbroideryDesign design, Fabric fabric, (double Width, double Height)? hoop)
    {
        // Checked before digitizing: a poster-sized SVG meant for a cap is refused at once, not after a minute of fill.
        var bounds = design.Bounds;
        CheckHoop(bounds.Width, bounds.Height, hoop);
        var options = DigitizeOptions.For(fabric);
        var works = Digitizer.Digitize(design, options);
        if (works.Count == 0)
        {
            throw new DesignException(DesignProblem.Empty, "the design's shapes are too small to stitch");
        }

        var pattern = StitchPlanner.Plan(works, options);
        var stats = PatternStats.Of(pattern);
        CheckHoop(stats.WidthMm, stats.HeightMm, hoop);
        return new Digitization(design, works, pattern, stats);
    }

    private static void CheckHoop(double width, double height, (double Width, double Height)? hoop)
    {
        if (hoop is { } h && (width > h.Width || height > h.Height))
        {
            throw new DesignException(DesignProblem.TooLargeForHoop, string.Create(CultureInfo.InvariantCulture,
                $"the design is {width:F1} x {height:F1} mm; the hoop holds {h.Width:0.#} x {h.Height:0.#} mm"));
        }
    }
}
