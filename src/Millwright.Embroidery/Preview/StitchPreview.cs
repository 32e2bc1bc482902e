using System.Globalization;
using System.Security;
using System.Text;
using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Preview;

/// <summary>
/// Pictures of a pattern as it will look sewn: every stitch a line of thread width in its thread's colour, jumps
/// not drawn. PNG through SkiaSharp; SVG as text (one polyline per run of stitches), the stats in its caption.
/// </summary>
public static class StitchPreview
{
    private const float ThreadWidthMm = 0.4f;
    private const float MarginMm = 3;

    public static byte[] Png(StitchPattern pattern, float pixelsPerMm = 8)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var (minX, minY, maxX, maxY) = pattern.Extents();
        var width = (int)Math.Ceiling(((maxX - minX) / 10f + 2 * MarginMm) * pixelsPerMm);
        var height = (int)Math.Ceiling(((maxY - minY) / 10f + 2 * MarginMm) * pixelsPerMm);
        if ((long)width * height > 64_000_000)
        {
            throw new ArgumentException($"a {width} x {height} preview is too large; use fewer pixels per millimetre");
        }

        using var surface = SKSurface.Create(new SKImageInfo(Math.Max(width, 1), Math.Max(height, 1)));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        // Machine Y points up; the picture's points down.
        canvas.Scale(pixelsPerMm / 10f, -pixelsPerMm / 10f);
        canvas.Translate(-minX + MarginMm * 10, -maxY - MarginMm * 10);
        using var paint = new SKPaint { IsAntialias = true, StrokeWidth = ThreadWidthMm * 10, StrokeCap = SKStrokeCap.Round, Style = SKPaintStyle.Stroke };
        foreach (var (colour, run) in Runs(pattern))
        {
            paint.Color = new SKColor(colour.R, colour.G, colour.B);
            for (var i = 1; i < run.Count; i++)
            {
                canvas.DrawLine(run[i - 1].X, run[i - 1].Y, run[i].X, run[i].Y, paint);
            }
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static string Svg(StitchPattern pattern, PatternStats stats)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(stats);
        var (minX, minY, maxX, maxY) = pattern.Extents();
        var m = MarginMm * 10;
        var (w, h) = (maxX - minX + 2 * m, maxY - minY + 2 * m);
        var svg = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w / 10.0:0.#}mm\" height=\"{(h + 60) / 10.0:0.#}mm\" viewBox=\"{minX - m} {-maxY - m} {w} {h + 60}\">\n");
        svg.Append(inv, $"<title>{SecurityElement.Escape(stats.ToString())}</title>\n");
        svg.Append(inv, $"<rect x=\"{minX - m}\" y=\"{-maxY - m}\" width=\"{w}\" height=\"{h + 60}\" fill=\"white\"/>\n");
        svg.Append(inv, $"<g fill=\"none\" stroke-width=\"{ThreadWidthMm * 10}\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n");
        foreach (var (colour, run) in Runs(pattern))
        {
            svg.Append(inv, $"<polyline stroke=\"{colour.Hex}\" points=\"");
            svg.AppendJoin(' ', run.Select(p => string.Create(inv, $"{p.X},{-p.Y}")));
            svg.Append("\"/>\n");
        }

        svg.Append("</g>\n");
        svg.Append(inv, $"<text x=\"{minX - m + 10}\" y=\"{-minY + m + 40}\" font-family=\"sans-serif\" font-size=\"30\">{SecurityElement.Escape(stats.ToString())}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>The pattern as runs of consecutive stitches, each with its thread; a jump or trim starts a new run.</summary>
    private static IEnumerable<(ThreadColor Colour, List<(int X, int Y)> Points)> Runs(StitchPattern pattern)
    {
        var thread = 0;
        var run = new List<(int X, int Y)>();
        var at = (X: 0, Y: 0);
        foreach (var c in pattern.Commands)
        {
            if (c.Kind == StitchKind.Stitch)
            {
                if (run.Count == 0)
                {
                    run.Add(at);
                }

                run.Add((c.X, c.Y));
            }
            else
            {
                if (run.Count > 1)
                {
                    yield return (pattern.Threads[thread], run);
                }

                run = [];
                if (c.Kind == StitchKind.ColorChange)
                {
                    thread++;
                }
            }

            at = (c.X, c.Y);
        }

        if (run.Count > 1)
        {
            yield return (pattern.Threads[thread], run);
        }
    }
}
