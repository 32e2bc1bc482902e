using System.Globalization;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Preview;

/// <summary>
/// What a customer and an operator want to know about a pattern. The run time is stitches at the machine's speed
/// plus a fixed time per trim and per colour change (defaults: 3 s and 6 s, a multi-needle head's automatic
/// change; a single-needle machine waiting for the operator takes longer).
/// </summary>
public sealed record PatternStats(int Stitches, int ColorChanges, int Trims, int Jumps, double WidthMm, double HeightMm, TimeSpan RunTime, int StitchesPerMinute)
{
    public static PatternStats Of(StitchPattern pattern, int stitchesPerMinute = 800, double trimSeconds = 3, double colorChangeSeconds = 6)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stitchesPerMinute);
        var stitches = pattern.Commands.Where(c => c.Kind == StitchKind.Stitch).ToList();
        double width = 0, height = 0;
        if (stitches.Count > 0)
        {
            width = (stitches.Max(c => c.X) - stitches.Min(c => c.X)) / 10.0;
            height = (stitches.Max(c => c.Y) - stitches.Min(c => c.Y)) / 10.0;
        }

        var seconds = stitches.Count * 60.0 / stitchesPerMinute + pattern.Trims * trimSeconds + pattern.ColorChanges * colorChangeSeconds;
        return new PatternStats(stitches.Count, pattern.ColorChanges, pattern.Trims, pattern.Jumps, width, height, TimeSpan.FromSeconds(Math.Round(seconds)), stitchesPerMinute);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Stitches:N0} stitches, {ColorChanges} colour changes, {Trims} trims, {WidthMm:F1} x {HeightMm:F1} mm, about {RunTime:h\\:mm\\:ss} at {StitchesPerMinute} stitches/min");
}
