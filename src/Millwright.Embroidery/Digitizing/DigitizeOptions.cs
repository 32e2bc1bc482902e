namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// The digitizer's parameters, in millimetres and degrees. <see cref="For"/> gives sensible defaults per fabric;
/// docs/embroidery.md lists them.
/// </summary>
public sealed record DigitizeOptions
{
    /// <summary>Fill (tatami) row direction, degrees from the X axis.</summary>
    public double FillAngle { get; init; } = 45;

    /// <summary>Distance between fill rows (density).</summary>
    public double FillSpacing { get; init; } = 0.4;

    /// <summary>Fill stitch length along a row.</summary>
    public double FillStitchLength { get; init; } = 4.0;

    /// <summary>Rows before the penetration pattern repeats: row k is offset by (k mod n) / n of a stitch.</summary>
    public int FillStagger { get; init; } = 3;

    /// <summary>Distance between satin stitches for columns 2 mm and wider; narrower columns are opened up.</summary>
    public double SatinSpacing { get; init; } = 0.4;

    /// <summary>Widest satin column; wider shapes and strokes are filled with tatami.</summary>
    public double SatinMaxWidth { get; init; } = 7.0;

    /// <summary>Strokes at least this wide become satin columns; thinner ones are running stitches.</summary>
    public double SatinMinStrokeWidth { get; init; } = 1.0;

    /// <summary>Strokes at least this wide (and thinner than a satin) are stitched three times (triple run).</summary>
    public double TripleRunMinWidth { get; init; } = 0.5;

    public double RunStitchLength { get; init; } = 2.5;

    /// <summary>How much each satin and fill stitch reaches past the outline, against the thread's pull.</summary>
    public double PullCompensation { get; init; } = 0.15;

    /// <summary>Underlay stays this far inside the outline.</summary>
    public double UnderlayInset { get; init; } = 0.4;

    public bool EdgeRunUnderlay { get; init; }

    /// <summary>A sparse fill (or zig-zag under satins) across the top stitches.</summary>
    public bool FillUnderlay { get; init; } = true;

    public double UnderlaySpacing { get; init; } = 2.0;

    public double MinStitchLength { get; init; } = 0.3;

    /// <summary>Longer stitches are split; at most 12 (a DST record moves 12.1 mm).</summary>
    public double MaxStitchLength { get; init; } = 8.0;

    /// <summary>Travel longer than this trims the thread first; shorter travel inside a shape is stitched.</summary>
    public double TrimAbove { get; init; } = 3.0;

    /// <summary>Length of the tie-in and tie-off stitches at each start and end.</summary>
    public double LockLength { get; init; } = 0.6;

    public static DigitizeOptions For(Fabric fabric) => fabric switch
    {
        Fabric.Knit => new DigitizeOptions
        {
            FillSpacing = 0.42, FillStitchLength = 3.5, PullCompensation = 0.3, EdgeRunUnderlay = true, UnderlaySpacing = 1.6,
            SatinMaxWidth = 6.5,
        },
        Fabric.Cap => new DigitizeOptions
        {
            FillSpacing = 0.4, FillStitchLength = 3.5, PullCompensation = 0.25, EdgeRunUnderlay = true, SatinMaxWidth = 5.5,
            MaxStitchLength = 7.0, FillAngle = 90,
        },
        _ => new DigitizeOptions(),
    };

    public void Validate()
    {
        if (FillSpacing <= 0.1 || SatinSpacing <= 0.1 || FillStitchLength <= MinStitchLength || RunStitchLength <= MinStitchLength)
        {
            throw new ArgumentException("spacings must exceed 0.1 mm and stitch lengths the minimum stitch");
        }

        if (MaxStitchLength > 12 || SatinMaxWidth + 2 * PullCompensation > MaxStitchLength || FillStitchLength > MaxStitchLength)
        {
            throw new ArgumentException("the maximum stitch is at most 12 mm and must hold a satin's width and a fill stitch");
        }

        if (FillStagger < 1)
        {
            throw new ArgumentException("the fill stagger is at least 1");
        }
    }
}
