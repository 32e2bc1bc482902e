using SkiaSharp;

namespace Millwright.Embroidery.Design;

/// <summary>
/// A design ready to digitize: its shapes in millimetres (Y down) and the SVG features that were present but are
/// not embroidered, by name, so the customer is told rather than surprised.
/// </summary>
public sealed class EmbroideryDesign
{
    public EmbroideryDesign(IReadOnlyList<DesignShape> shapes, IReadOnlyList<string> unsupported)
    {
        Shapes = shapes;
        Unsupported = unsupported;
    }

    public IReadOnlyList<DesignShape> Shapes { get; }

    public IReadOnlyList<string> Unsupported { get; }

    /// <summary>The box of what is stitched: fills and strokes (half the stroke width outside the path).</summary>
    public SKRect Bounds
    {
        get
        {
            var box = SKRect.Empty;
            foreach (var s in Shapes)
            {
                var b = s.Outline.TightBounds;
                if (s.Stroke is not null)
                {
                    b.Inflate(s.StrokeWidthMm / 2, s.StrokeWidthMm / 2);
                }

                box = box.IsEmpty ? b : SKRect.Union(box, b);
            }

            return box;
        }
    }

    /// <summary>The design scaled evenly so that what is stitched is <paramref name="widthMm"/> wide.</summary>
    public EmbroideryDesign ScaledToWidth(float widthMm)
    {
        var bounds = Bounds;
        if (bounds.Width <= 0 || widthMm <= 0)
        {
            return this;
        }

        var k = widthMm / bounds.Width;
        var m = SKMatrix.CreateScale(k, k);
        var shapes = Shapes.Select(s =>
        {
            var path = new SKPath(s.Outline);
            path.Transform(m);
            return s with { Outline = path, StrokeWidthMm = s.StrokeWidthMm * k };
        }).ToList();
        return new EmbroideryDesign(shapes, Unsupported);
    }
}
