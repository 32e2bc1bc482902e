using SkiaSharp;
using Svg.Transforms;

namespace Millwright.Embroidery.Design;

/// <summary>An element's transform list as one Skia matrix: the first transform listed applies last.</summary>
internal static class SvgTransforms
{
    public static SKMatrix ToMatrix(SvgTransformCollection? transforms)
    {
        var m = SKMatrix.Identity;
        if (transforms is null)
        {
            return m;
        }

        foreach (var t in transforms)
        {
            m = m.PreConcat(One(t));
        }

        return m;
    }

    private static SKMatrix One(SvgTransform t) => t switch
    {
        SvgTranslate tr => SKMatrix.CreateTranslation(tr.X, tr.Y),
        SvgScale s => SKMatrix.CreateScale(s.X, s.Y),
        SvgRotate r => SKMatrix.CreateRotationDegrees(r.Angle, r.CenterX, r.CenterY),
        SvgSkew k => new SKMatrix(1, MathF.Tan(k.AngleX * MathF.PI / 180), 0, MathF.Tan(k.AngleY * MathF.PI / 180), 1, 0, 0, 0, 1),
        SvgShear h => new SKMatrix(1, h.X, 0, h.Y, 1, 0, 0, 0, 1),
        // matrix(a b c d e f): x' = a x + c y + e, y' = b x + d y + f.
        SvgMatrix { Points.Count: 6 } mx => new SKMatrix(mx.Points[0], mx.Points[2], mx.Points[4], mx.Points[1], mx.Points[3], mx.Points[5], 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
