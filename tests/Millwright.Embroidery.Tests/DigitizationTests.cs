using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Preview;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests;

public sealed class DigitizationTests
{
    private static byte[] Badge() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "badge.svg"));

    [Fact]
    public void The_example_badge_becomes_a_dst_that_reads_back_with_its_stats()
    {
        var result = Digitization.FromSvg(Badge(), Fabric.Woven);
        Assert.Equal(["#1f3a93", "#c62828", "#2e7d32", "#212121", "#f9a825", "#6a1b9a"], result.Pattern.Threads.Select(t => t.Hex));
        Assert.Equal(5, result.Stats.ColorChanges);
        Assert.InRange(result.Stats.WidthMm, 69, 76);
        Assert.InRange(result.Stats.StitchesPerMinute, 800, 800);
        var file = DstReader.Read(DstWriter.Write(result.Pattern, "badge"));
        Assert.Equal(result.Pattern.Commands, file.Pattern.Commands);
        Assert.Equal(result.Stats.Stitches, file.Pattern.StitchCount);
        Assert.True(result.Stats.Trims >= result.Stats.ColorChanges);
        Assert.True(result.Stats.RunTime > TimeSpan.FromSeconds(result.Stats.Stitches * 60.0 / 800));
    }

    [Fact]
    public void Each_kind_of_stitch_is_chosen_by_shape_and_stroke_width()
    {
        var works = Digitization.FromSvg(Badge(), Fabric.Woven).Works;
        Assert.Contains(BlockKind.Fill, Kinds(works, "path#ring fill"));
        Assert.Contains(BlockKind.Satin, Kinds(works, "rect#bar fill"));
        Assert.Contains(BlockKind.Running, Kinds(works, "polyline#zig stroke"));
        Assert.Contains(BlockKind.Satin, Kinds(works, "line#rule stroke"));
        Assert.Contains(BlockKind.Underlay, Kinds(works, "path#leaf fill"));
    }

    [Fact]
    public void Same_colour_shapes_that_nothing_overlaps_share_one_thread_block()
    {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="20mm" viewBox="0 0 60 20">
              <rect x="0" y="0" width="10" height="10" fill="red"/><rect x="20" y="0" width="10" height="10" fill="blue"/>
              <rect x="40" y="0" width="10" height="10" fill="red"/>
            </svg>
            """u8.ToArray();
        var pattern = Digitization.FromSvg(svg, Fabric.Woven).Pattern;
        Assert.Equal(["#ff0000", "#0000ff"], pattern.Threads.Select(t => t.Hex));
    }

    [Fact]
    public void Overlapping_shapes_keep_their_layering_even_when_that_costs_a_colour_change()
    {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="20mm" viewBox="0 0 60 20">
              <rect x="0" y="0" width="30" height="10" fill="red"/><rect x="20" y="0" width="30" height="10" fill="blue"/>
              <rect x="25" y="0" width="10" height="10" fill="red"/>
            </svg>
            """u8.ToArray();
        Assert.Equal(["#ff0000", "#0000ff", "#ff0000"], Digitization.FromSvg(svg, Fabric.Woven).Pattern.Threads.Select(t => t.Hex));
    }

    [Fact]
    public void A_design_larger_than_the_hoop_is_refused_with_its_size()
    {
        var e = Assert.Throws<DesignException>(() => Digitization.FromSvg(Badge(), Fabric.Cap, hoop: (50, 50)));
        Assert.Equal(DesignProblem.TooLargeForHoop, e.Problem);
        Assert.Contains("50 x 50 mm", e.Message, StringComparison.Ordinal);
        var scaled = Digitization.FromSvg(Badge(), Fabric.Cap, widthMm: 45, hoop: (50, 50));
        Assert.InRange(scaled.Stats.WidthMm, 40, 46);
    }

    [Fact]
    public void Previews_draw_the_stitches_in_their_thread_colours()
    {
        var result = Digitization.FromSvg(Badge(), Fabric.Knit);
        var png = StitchPreview.Png(result.Pattern);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.True(bitmap.Width > 500);
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 3)
        {
            for (var x = 0; x < bitmap.Width; x += 3)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        Assert.Contains(0xff1f3a93u, colours);
        Assert.Contains(0xffc62828u, colours);
        var svg = StitchPreview.Svg(result.Pattern, result.Stats);
        Assert.Contains("stroke=\"#2e7d32\"", svg, StringComparison.Ordinal);
        Assert.Contains(result.Stats.ToString(), svg, StringComparison.Ordinal);
    }

    private static List<BlockKind> Kinds(IReadOnlyList<ShapeWork> works, string name) =>
        works.Single(w => w.Name == name).Blocks.Select(b => b.Kind).ToList();
}
