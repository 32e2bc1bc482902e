using System.Globalization;
using System.Text;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Geometry;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Digitizing;

/// <summary>
/// Satin columns that follow a curve: bands round a hole, arcs, L-shaped bars, curved and zig-zag strokes, closed
/// strokes. The digitizer property (penetrations inside the outline grown by the pull compensation, no stitch over
/// the maximum, coverage) extended to them, and the column's shape: stitches across the band, density kept.
/// </summary>
public sealed class CurvedSatinTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static IEnumerable<(int Kind, double Size, double Width, double Angle, int Fabric)> Cases(int seed, int count)
    {
        var r = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            // Widths up to 3.6 mm: an L's corner rung is √2 times its width, and a square end is entered at a corner
            // (a diagonal of about 1.5 times the width); both must stay within the cap's 5.5 mm satin.
            yield return (r.Next(6), 8 + r.NextDouble() * 30, 1 + r.NextDouble() * 2.6, r.NextDouble() * 360, r.Next(3));
        }
    }

    [Fact]
    public void Curved_satin_penetrations_stay_inside_the_outline_grown_by_pull_compensation_and_no_stitch_is_too_long()
    {
        foreach (var c in Cases(20261207, 120))
        {
            var options = DigitizeOptions.For((Fabric)c.Fabric);
            var works = Digitizer.Digitize(Design(c), options);
            var work = Assert.Single(works);
            Assert.True(work.Blocks.Any(b => b.Kind == BlockKind.Satin), $"{c}: no satin");
            Assert.DoesNotContain(work.Blocks, b => b.Kind == BlockKind.Fill);
            using var grown = Regions.Outset(work.Region, options.PullCompensation + 0.05);
            foreach (var block in work.Blocks.Where(b => b.Kind is BlockKind.Satin or BlockKind.Underlay))
            {
                foreach (var p in block.Points.Where(p => !grown.Contains((float)p.X, (float)p.Y)))
                {
                    Assert.Fail($"{block.Kind} penetration {p} outside {work.Name} of {c}");
                }
            }

            var pattern = StitchPlanner.Plan(works, options);
            var max = options.MaxStitchLength * 10 + 1.5;
            var at = (X: 0, Y: 0);
            foreach (var command in pattern.Commands)
            {
                if (command.Kind == StitchKind.Stitch && Math.Sqrt(Math.Pow(command.X - at.X, 2) + Math.Pow(command.Y - at.Y, 2)) > max)
                {
                    Assert.Fail($"stitch to {command} from {at} of {c} is longer than {options.MaxStitchLength} mm");
                }

                at = (command.X, command.Y);
            }
        }
    }

    [Fact]
    public void Curved_satin_covers_the_shape_within_tolerance()
    {
        foreach (var c in Cases(11, 40))
        {
            var options = DigitizeOptions.For((Fabric)c.Fabric);
            var work = Assert.Single(Digitizer.Digitize(Design(c), options));
            var (inside, covered, outside) = DigitizerPropertyTests.Coverage(work, options);
            Assert.True(covered >= 0.93 * inside, $"{work.Name} of {c}: {covered} of {inside} px covered");
            Assert.True(outside <= 0.02 * inside + 50, $"{work.Name} of {c}: {outside} px covered outside the grown outline");
        }
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(1.2)]
    public void A_ring_band_is_one_satin_column_stitched_across_the_band_at_its_width_density(double width)
    {
        const double radius = 20;
        var options = DigitizeOptions.For(Fabric.Woven);
        var work = Assert.Single(Digitizer.Digitize(Ring(radius, width), options));
        var top = Assert.Single(work.Blocks, b => b.Kind == BlockKind.Satin).Points;
        var rungs = top.Count / 2;
        for (var k = 0; k < rungs; k++)
        {
            var (a, b) = (top[2 * k], top[2 * k + 1]);
            var radial = (Vec.Lerp(a, b, 0.5) - new Vec(100, 100)).Unit;   // the ring's centre: the view box starts at -100
            var across = (b - a).Unit;
            var cos = Math.Abs(radial.X * across.X + radial.Y * across.Y);
            Assert.True(cos > Math.Cos(15 * Math.PI / 180), $"stitch {a} -> {b} is not across the band");
        }

        // The outer rail keeps the density: one stitch per spacing of its length, opened up below 2 mm (a few more
        // where the inner rail's steps bunch and it reaches the spacing first).
        var spacing = Satin.Spacing(options.SatinSpacing, width);
        var expected = 2 * Math.PI * (radius + width) / spacing;
        Assert.InRange(rungs, 0.97 * expected, 1.1 * expected);
    }

    [Fact]
    public void A_stroke_turning_a_right_angle_gets_a_mitred_corner_and_a_hairpin_a_bevelled_one()
    {
        var options = DigitizeOptions.For(Fabric.Woven);
        var right = Assert.Single(Digitizer.Digitize(Svg("<path fill=\"none\" stroke=\"#000\" stroke-width=\"4\" d=\"M -20 0 H 0 V 20\"/>"), options));
        // The mitre's tip, (2, -2) from the corner (at 100, 100 mm: the view box starts at -100), is stitched; a round
        // corner would end 0.83 mm short of it.
        var tip = new Vec(102, 98);
        var satin = right.Blocks.Where(b => b.Kind == BlockKind.Satin).SelectMany(b => b.Points).ToList();
        Assert.Contains(satin, p => Vec.Distance(p, tip) < 0.4);

        var hairpin = Assert.Single(Digitizer.Digitize(Svg("<path fill=\"none\" stroke=\"#000\" stroke-width=\"3\" d=\"M -20 -4 L 0 0 L -20 4\"/>"), options));
        var far = hairpin.Blocks.Where(b => b.Kind == BlockKind.Satin).SelectMany(b => b.Points).Max(p => p.X);
        // A mitre would reach 1.5 / sin(11.3°) = 7.6 mm past the turn and a round join 1.5 mm; the bevel stops at 0.3 mm (and the pull).
        Assert.InRange(far, 100, 100.3 + options.PullCompensation + 0.05);
    }

    [Fact]
    public void A_wide_blob_is_still_filled_with_tatami()
    {
        var options = DigitizeOptions.For(Fabric.Woven);
        var work = Assert.Single(Digitizer.Digitize(Svg("<circle r=\"12\" fill=\"#123456\"/>"), options));
        Assert.Contains(work.Blocks, b => b.Kind == BlockKind.Fill);
        Assert.DoesNotContain(work.Blocks, b => b.Kind == BlockKind.Satin);
    }

    internal static EmbroideryDesign Design((int Kind, double Size, double Width, double Angle, int Fabric) c)
    {
        var (r, t) = (c.Size / 2, c.Width);
        var body = c.Kind switch
        {
            0 => Band(r, t),
            1 => Arc(r, t, 60 + c.Size * 6),
            2 => string.Create(Inv, $"<path fill=\"none\" stroke=\"#000\" stroke-width=\"{t:0.###}\" d=\"M {-r} 0 C {-r / 2} {-r} {r / 2} {r} {r} 0\"/>"),
            3 => ZigZag(r, t, c.Angle),
            4 => string.Create(Inv, $"<path fill=\"#123456\" d=\"M 0 0 H {r} V {t} H {t} V {r} H 0 Z\"/>"),
            _ => string.Create(Inv, $"<circle fill=\"none\" stroke=\"#000\" stroke-width=\"{t:0.###}\" r=\"{r}\"/>"),
        };
        return Svg(string.Create(Inv, $"<g transform=\"rotate({c.Angle:0.##})\">{body}</g>"));
    }

    private static EmbroideryDesign Ring(double radius, double width) => Svg(Band(radius + width, width));

    // A band round a hole: two circles, the inner one a hole by the even-odd rule.
    private static string Band(double r, double t) => string.Create(Inv,
        $"<path fill=\"#123456\" fill-rule=\"evenodd\" d=\"M {r} 0 A {r} {r} 0 1 0 {-r} 0 A {r} {r} 0 1 0 {r} 0 Z M {r - t} 0 A {r - t} {r - t} 0 1 0 {-(r - t)} 0 A {r - t} {r - t} 0 1 0 {r - t} 0 Z\"/>");

    // An arc of a band over the given degrees (up to 270), its ends cut square.
    private static string Arc(double r, double t, double degrees)
    {
        var a = Math.Min(degrees, 270) * Math.PI / 180;
        var (s, e) = (new Vec(r, 0), new Vec(r * Math.Cos(a), r * Math.Sin(a)));
        var ri = r - t;
        var large = a > Math.PI ? 1 : 0;
        return string.Create(Inv,
            $"<path fill=\"#123456\" d=\"M {s.X:0.###} {s.Y:0.###} A {r} {r} 0 {large} 1 {e.X:0.###} {e.Y:0.###} L {e.X * ri / r:0.###} {e.Y * ri / r:0.###} A {ri} {ri} 0 {large} 0 {ri:0.###} 0 Z\"/>");
    }

    // A zig-zag stroke: corners between 40° and 150° of turn, mitred or bevelled.
    private static string ZigZag(double r, double t, double seed)
    {
        var turn = (40 + seed % 110) * Math.PI / 180;
        var points = new List<Vec> { new(-r, 0) };
        var heading = 0.0;
        for (var i = 0; i < 3; i++)
        {
            points.Add(points[^1] + new Vec(Math.Cos(heading), Math.Sin(heading)) * (r * 0.8));
            heading += i % 2 == 0 ? turn : -turn;
        }

        return $"<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"{t.ToString("0.###", Inv)}\" points=\"{string.Join(' ', points.Select(p => string.Create(Inv, $"{p.X:0.###},{p.Y:0.###}")))}\"/>";
    }

    private static EmbroideryDesign Svg(string body) => SvgDesignReader.Read(Encoding.UTF8.GetBytes(
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200mm\" height=\"200mm\" viewBox=\"-100 -100 200 200\">{body}</svg>"));
}
