using System.Globalization;
using System.Text;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Geometry;
using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Tests.Digitizing;

/// <summary>
/// The digitizer's promises on random shapes (rectangles, ellipses, rings with a hole, stars, thin bars, at any
/// angle) for every fabric: satin, fill and underlay penetrations lie inside the outline grown by the pull
/// compensation; no stitch of the planned pattern is longer than the maximum; the fill covers the shape.
/// </summary>
public sealed class DigitizerPropertyTests
{
    // Seeded cases rather than CsCheck here: its runner overflowed the stack around Skia's path ops on this machine.
    private static IEnumerable<(int Kind, double W, double H, double Angle, int Fabric)> Shapes(int seed, int count)
    {
        var r = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return (r.Next(5), 2 + r.NextDouble() * 38, 2 + r.NextDouble() * 38, r.NextDouble() * 180, r.Next(3));
        }
    }

    [Fact]
    public void Penetrations_stay_inside_the_outline_grown_by_pull_compensation_and_no_stitch_is_too_long()
    {
        foreach (var s in Shapes(20261206, 100))
        {
            var options = DigitizeOptions.For((Fabric)s.Fabric);
            var works = Digitizer.Digitize(Design(s), options);
            Assert.NotEmpty(works);
            foreach (var work in works)
            {
                using var grown = Regions.Outset(work.Region, options.PullCompensation + 0.05);
                foreach (var block in work.Blocks.Where(b => b.Kind is BlockKind.Satin or BlockKind.Fill or BlockKind.Underlay))
                {
                    foreach (var p in block.Points)
                    {
                        if (!grown.Contains((float)p.X, (float)p.Y))
                        {
                            Assert.Fail($"{block.Kind} penetration {p} outside {work.Name} of {s}");
                        }
                    }
                }
            }

            var pattern = StitchPlanner.Plan(works, options);
            var max = options.MaxStitchLength * 10 + 1.5;
            var at = (X: 0, Y: 0);
            foreach (var c in pattern.Commands)
            {
                if (c.Kind == StitchKind.Stitch)
                {
                    if (Math.Sqrt(Math.Pow(c.X - at.X, 2) + Math.Pow(c.Y - at.Y, 2)) > max)
                    {
                        Assert.Fail($"stitch to {c} from {at} is longer than {options.MaxStitchLength} mm");
                    }
                }

                at = (c.X, c.Y);
            }
        }
    }

    [Fact]
    public void Fill_and_satin_cover_the_shape_within_tolerance()
    {
        foreach (var s in Shapes(7, 50))
        {
            var options = DigitizeOptions.For((Fabric)s.Fabric);
            var work = Assert.Single(Digitizer.Digitize(Design(s), options));
            var (inside, covered, outside) = Coverage(work, options);
            Assert.True(covered >= 0.93 * inside, $"{work.Name} of {s}: {covered} of {inside} px covered");
            Assert.True(outside <= 0.02 * inside + 50, $"{work.Name} of {s}: {outside} px covered outside the grown outline");
        }
    }

    /// <summary>Pixels (10 per mm) of the shape (0.1 mm in from its edge), of the shape under top stitches drawn as thread, and of thread outside.</summary>
    internal static (int Inside, int Covered, int Outside) Coverage(ShapeWork work, DigitizeOptions options)
    {
        var b = work.Bounds;
        const float k = 10;
        var (w, h) = ((int)((b.Width + 4) * k), (int)((b.Height + 4) * k));
        var transform = SKMatrix.CreateScaleTranslation(k, k, (-b.Left + 2) * k, (-b.Top + 2) * k);
        // The shape less a 0.1 mm edge: a pixel's worth of rasterization either way is not a gap in the fill.
        using var shape = Raster(w, h, canvas =>
        {
            using var path = Regions.Inset(work.Region, 0.1);
            path.Transform(transform);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false };
            canvas.DrawPath(path, paint);
        });
        using var grown = Regions.Outset(work.Region, options.PullCompensation + 0.3);
        using var allowed = Raster(w, h, canvas =>
        {
            grown.Transform(transform);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false };
            canvas.DrawPath(grown, paint);
        });
        using var thread = Raster(w, h, canvas =>
        {
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false, StrokeWidth = (float)(0.45 * k), Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
            foreach (var block in work.Blocks.Where(x => x.Kind is BlockKind.Satin or BlockKind.Fill))
            {
                for (var i = 1; i < block.Points.Count; i++)
                {
                    var (p, q) = (transform.MapPoint((float)block.Points[i - 1].X, (float)block.Points[i - 1].Y), transform.MapPoint((float)block.Points[i].X, (float)block.Points[i].Y));
                    canvas.DrawLine(p, q, paint);
                }
            }
        });
        int inside = 0, covered = 0, outside = 0;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var s = shape.GetPixel(x, y).Red == 0;
                var t = thread.GetPixel(x, y).Red == 0;
                inside += s ? 1 : 0;
                covered += s && t ? 1 : 0;
                outside += t && allowed.GetPixel(x, y).Red != 0 ? 1 : 0;
            }
        }

        return (inside, covered, outside);
    }

    private static SKBitmap Raster(int w, int h, Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(w, h);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        draw(canvas);
        return bitmap;
    }

    internal static EmbroideryDesign Design((int Kind, double W, double H, double Angle, int Fabric) s)
    {
        var inv = CultureInfo.InvariantCulture;
        var (w, h) = (s.W, s.H);
        var body = s.Kind switch
        {
            0 => string.Create(inv, $"<rect x=\"{-w / 2}\" y=\"{-h / 2}\" width=\"{w}\" height=\"{h}\"/>"),
            1 => string.Create(inv, $"<ellipse rx=\"{w / 2}\" ry=\"{h / 2}\"/>"),
            2 => string.Create(inv, $"<path fill-rule=\"evenodd\" d=\"M {-w / 2 - 3} {-h / 2 - 3} h {w + 6} v {h + 6} h {-w - 6} Z M {-w / 4} {-h / 4} h {w / 2} v {h / 2} h {-w / 2} Z\"/>"),
            3 => Star(w, h),
            _ => string.Create(inv, $"<rect x=\"{-w / 2}\" y=\"-{1 + h / 20}\" width=\"{w}\" height=\"{2 + h / 10}\"/>"),
        };
        var svg = string.Create(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200mm\" height=\"200mm\" viewBox=\"-100 -100 200 200\"><g transform=\"rotate({s.Angle:0.##})\" fill=\"#224488\">{body}</g></svg>");
        return SvgDesignReader.Read(Encoding.UTF8.GetBytes(svg));
    }

    private static string Star(double w, double h)
    {
        var points = Enumerable.Range(0, 10).Select(i =>
        {
            var r = i % 2 == 0 ? 1.0 : 0.45;
            var a = i * Math.PI / 5;
            return string.Create(CultureInfo.InvariantCulture, $"{r * w / 2 * Math.Sin(a):0.###},{-r * h / 2 * Math.Cos(a):0.###}");
        });
        return $"<polygon points=\"{string.Join(' ', points)}\"/>";
    }
}
