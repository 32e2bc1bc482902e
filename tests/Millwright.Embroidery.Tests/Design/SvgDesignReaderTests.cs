using System.Text;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Design;

public sealed class SvgDesignReaderTests
{
    private static EmbroideryDesign Read(string svg) => SvgDesignReader.Read(Encoding.UTF8.GetBytes(svg));

    [Fact]
    public void The_viewBox_maps_user_units_onto_the_physical_size_in_millimetres()
    {
        var design = Read("""<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="50mm" viewBox="0 0 200 100"><rect x="20" y="10" width="100" height="40" fill="#ff0000"/></svg>""");
        var shape = Assert.Single(design.Shapes);
        var b = shape.Outline.TightBounds;
        Assert.Equal((10f, 5f, 60f, 25f), (b.Left, b.Top, b.Right, b.Bottom));
        Assert.Equal(ThreadColor.Parse("#ff0000"), shape.Fill);
        Assert.Null(shape.Stroke);
    }

    [Fact]
    public void Without_a_size_user_units_are_css_pixels()
    {
        var design = Read("""<svg xmlns="http://www.w3.org/2000/svg"><circle cx="48" cy="48" r="48"/></svg>""");
        Assert.Equal(25.4f, design.Bounds.Width, 0.01f);
        Assert.Equal(new ThreadColor(0, 0, 0), design.Shapes[0].Fill);
    }

    [Fact]
    public void Group_and_element_transforms_compose_in_order()
    {
        var design = Read("""
            <svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
              <g transform="translate(50 0)"><rect transform="scale(2) rotate(90)" x="0" y="0" width="10" height="5" fill="blue"/></g>
            </svg>
            """);
        // rotate(90) takes (10, 5) to (-5, 10); scale 2 to (-10, 20); translate to (40, 20).
        var b = design.Shapes[0].Outline.TightBounds;
        Assert.Equal(40, b.Left, 0.01f);
        Assert.Equal(50, b.Right, 0.01f);
        Assert.Equal(0, b.Top, 0.01f);
        Assert.Equal(20, b.Bottom, 0.01f);
    }

    [Fact]
    public void Paths_with_beziers_and_arcs_strokes_and_their_widths_are_read()
    {
        var design = Read("""
            <svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="10mm" viewBox="0 0 10 10">
              <path d="M 1 5 C 1 1, 9 1, 9 5 A 4 4 0 0 1 1 5 Z" fill="none" stroke="#00ff00" stroke-width="0.5"/>
              <path d="M 0 0 Q 5 5 10 0" stroke="red" stroke-width="2" fill="none"/>
            </svg>
            """);
        Assert.Equal(2, design.Shapes.Count);
        Assert.Null(design.Shapes[0].Fill);
        Assert.Equal(ThreadColor.Parse("#00ff00"), design.Shapes[0].Stroke);
        Assert.Equal(0.5f, design.Shapes[0].StrokeWidthMm, 0.001f);
        // The arc from (9, 5) back to (1, 5) bulges down to y = 9.
        Assert.Equal(9, design.Shapes[0].Outline.TightBounds.Bottom, 0.05f);
    }

    [Fact]
    public void Text_images_and_gradients_are_reported_by_name()
    {
        var design = Read("""
            <svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="10mm" viewBox="0 0 10 10">
              <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
              <text x="1" y="5">Hi</text><text x="1" y="8">there</text>
              <image href="x.png" width="5" height="5"/>
              <circle cx="5" cy="5" r="2" fill="url(#g)" stroke="black" stroke-width="0.3"/>
              <rect width="2" height="2" fill="red" clip-path="url(#c)"/>
            </svg>
            """);
        Assert.Contains("text (convert text to paths) (x2)", design.Unsupported);
        Assert.Contains("image (raster images inside an SVG)", design.Unsupported);
        Assert.Contains("gradient or pattern fill", design.Unsupported);
        Assert.Contains("clip-path", design.Unsupported);
        Assert.Equal(2, design.Shapes.Count);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect", DesignProblem.Malformed)]
    [InlineData("not xml at all", DesignProblem.Malformed)]
    [InlineData("<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&a;</svg>", DesignProblem.Malformed)]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"5\" fill=\"none\"/><text>hi</text></svg>", DesignProblem.Empty)]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", DesignProblem.Empty)]
    public void Bad_documents_are_refused_with_the_problem_named(string svg, DesignProblem problem)
    {
        var e = Assert.Throws<DesignException>(() => Read(svg));
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void A_document_over_the_limits_is_refused_as_too_complex()
    {
        var shapes = string.Concat(Enumerable.Range(0, 20).Select(i => $"<rect x=\"{i}\" width=\"1\" height=\"1\"/>"));
        var svg = Encoding.UTF8.GetBytes($"<svg xmlns=\"http://www.w3.org/2000/svg\">{shapes}</svg>");
        Assert.Equal(DesignProblem.TooComplex, Assert.Throws<DesignException>(() => SvgDesignReader.Read(svg, new SvgLimits { MaxShapes = 10 })).Problem);
        Assert.Equal(DesignProblem.TooComplex, Assert.Throws<DesignException>(() => SvgDesignReader.Read(svg, new SvgLimits { MaxBytes = 100 })).Problem);
        Assert.Equal(DesignProblem.TooComplex, Assert.Throws<DesignException>(() => SvgDesignReader.Read(svg, new SvgLimits { MaxPathPoints = 30 })).Problem);
    }
}
