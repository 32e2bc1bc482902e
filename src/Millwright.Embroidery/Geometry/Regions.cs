using SkiaSharp;

namespace Millwright.Embroidery.Geometry;

/// <summary>Region arithmetic through Skia's path ops: the clean-up, inset and outset the digitizer needs.</summary>
public static class Regions
{
    // Skia approximates a stroke's offset curves to within about a quarter of a unit at scale 1; our unit is the
    // millimetre, so strokes are made as if drawn at 20 pixels per mm (curves within some 0.01 mm).
    private const float ResScale = 20;

    /// <summary>The filled area of a path as non-overlapping contours (fill rule applied).</summary>
    public static SKPath Simplified(SKPath path) => path.Simplify() ?? new SKPath();

    /// <summary>The region shrunk by <paramref name="mm"/> on every side (round corners).</summary>
    public static SKPath Inset(SKPath region, double mm) => Offset(region, mm, SKPathOp.Difference);

    /// <summary>The region grown by <paramref name="mm"/> on every side (round corners).</summary>
    public static SKPath Outset(SKPath region, double mm) => Offset(region, mm, SKPathOp.Union);

    /// <summary>What a stroke of this width along the path covers.</summary>
    public static SKPath Stroke(SKPath path, double width, SKStrokeJoin join = SKStrokeJoin.Round, double miterLimit = 4)
    {
        using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = (float)width, StrokeJoin = join, StrokeMiter = (float)miterLimit, StrokeCap = SKStrokeCap.Butt };
        using var stroked = paint.GetFillPath(path, ResScale) ?? new SKPath();
        return Simplified(stroked);
    }

    public static List<IReadOnlyList<Vec>> Rings(SKPath region, double tolerance = 0.05) =>
        Contours.Flatten(region, tolerance).Where(c => c.Points.Count >= 3).Select(c => c.Points).ToList();

    private static SKPath Offset(SKPath region, double mm, SKPathOp op)
    {
        if (mm <= 0)
        {
            return new SKPath(region);
        }

        using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = (float)(2 * mm), StrokeJoin = SKStrokeJoin.Round };
        using var edge = paint.GetFillPath(region, ResScale) ?? new SKPath();
        return region.Op(edge, op) ?? new SKPath();
    }
}
