using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Design;

/// <summary>
/// One shape of a design in millimetres with Y down (the SVG's user space after every transform and the viewBox).
/// Fill and stroke are null when the shape has none; the outline's fill type is the SVG fill-rule.
/// </summary>
public sealed record DesignShape(string Name, SKPath Outline, ThreadColor? Fill, ThreadColor? Stroke, float StrokeWidthMm);
