using System.Globalization;
using System.Text;
using System.Xml;
using Millwright.Embroidery.Stitches;
using SkiaSharp;
using Svg;

namespace Millwright.Embroidery.Design;

/// <summary>
/// Reads an SVG document into an <see cref="EmbroideryDesign"/> in millimetres. Svg.Custom (under Svg.Skia) parses
/// the document and its styles; SkiaSharp parses path data (lines, Béziers, arcs) and applies the transforms.
/// Handled: path, rect (rounded), circle, ellipse, line, polyline, polygon, g, transforms, fill and stroke colours,
/// fill-rule, stroke-width, viewBox and the physical size of the root. Anything else that would be drawn is
/// reported by name in <see cref="EmbroideryDesign.Unsupported"/>.
/// </summary>
public static class SvgDesignReader
{
    public static EmbroideryDesign Read(byte[] svg, SvgLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        limits ??= new SvgLimits();
        if (svg.Length > limits.MaxBytes)
        {
            throw new DesignException(DesignProblem.TooComplex, $"the SVG is {svg.Length:N0} bytes; the limit is {limits.MaxBytes:N0}");
        }

        var text = Encoding.UTF8.GetString(svg);
        // No DTDs: entity expansion is the classic way to make a small file huge.
        if (text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || text.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
        {
            throw new DesignException(DesignProblem.Malformed, "the SVG has a DOCTYPE or entity declarations, which are not accepted");
        }

        SvgDocument document;
        try
        {
            document = SvgDocument.FromSvg<SvgDocument>(text);
        }
        catch (Exception e) when (e is XmlException or FormatException or ArgumentException or InvalidOperationException or NullReferenceException or IndexOutOfRangeException)
        {
            throw new DesignException(DesignProblem.Malformed, $"the SVG is malformed: {e.Message}");
        }

        try
        {
            return new Walker(limits).Run(document);
        }
        catch (Exception e) when (e is XmlException or FormatException or ArgumentException or InvalidOperationException or NullReferenceException or IndexOutOfRangeException or OverflowException)
        {
            // Svg.Custom parses many attributes only when they are read, and a malformed one can fail there with any
            // of these (found by the `svg` fuzz target: a broken root width threw NullReferenceException).
            throw new DesignException(DesignProblem.Malformed, $"the SVG is malformed: {e.Message}");
        }
    }

    private sealed class Walker(SvgLimits limits)
    {
        private readonly List<DesignShape> _shapes = [];
        private readonly SortedDictionary<string, int> _unsupported = new(StringComparer.Ordinal);
        private int _points;

        public EmbroideryDesign Run(SvgDocument document)
        {
            Visit(document, RootMatrix(document), root: true);
            if (_shapes.Count == 0)
            {
                throw new DesignException(DesignProblem.Empty, "the SVG has no filled or stroked shape to embroider" + Unsupported());
            }

            var unsupported = _unsupported.Select(p => p.Value == 1 ? p.Key : string.Create(CultureInfo.InvariantCulture, $"{p.Key} (x{p.Value})")).ToList();
            return new EmbroideryDesign(_shapes, unsupported);
        }

        private string Unsupported() =>
            _unsupported.Count == 0 ? "" : "; not supported: " + string.Join(", ", _unsupported.Keys);

        private static SKMatrix RootMatrix(SvgDocument document)
        {
            var box = document.ViewBox;
            var hasBox = box.Width > 0 && box.Height > 0;
            var widthMm = SvgUnits.ToMm(document.Width) ?? (hasBox ? box.Width * SvgUnits.MmPerPx : (float?)null);
            var heightMm = SvgUnits.ToMm(document.Height) ?? (hasBox ? box.Height * SvgUnits.MmPerPx : (float?)null);
            if (!hasBox || widthMm is null || heightMm is null)
            {
                return SKMatrix.CreateScale(SvgUnits.MmPerPx, SvgUnits.MmPerPx);
            }

            // preserveAspectRatio's default, xMidYMid meet: one scale, the box centred.
            var s = Math.Min(widthMm.Value / box.Width, heightMm.Value / box.Height);
            var tx = (widthMm.Value - box.Width * s) / 2 - box.MinX * s;
            var ty = (heightMm.Value - box.Height * s) / 2 - box.MinY * s;
            return new SKMatrix(s, 0, tx, 0, s, ty, 0, 0, 1);
        }

        private void Visit(SvgElement element, SKMatrix parent, bool root = false)
        {
            if (string.Equals(element.Display, "none", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(element.Visibility, "hidden", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var matrix = parent.PreConcat(SvgTransforms.ToMatrix(element.Transforms));
            switch (element)
            {
                case SvgDocument when root:
                case SvgGroup:
                case SvgSwitch:
                    foreach (var child in element.Children)
                    {
                        Visit(child, matrix);
                    }

                    break;
                case SvgFragment:
                    Report("nested svg");
                    break;
                case SvgDefinitionList or SvgTitle or SvgDescription or SvgDocumentMetadata or NonSvgElement or SvgClipPath or SvgMask:
                    break;
                case SvgPathBasedElement or SvgPath or SvgPolygon or SvgLine:
                    Shape(element, matrix);
                    break;
                case SvgTextBase:
                    Report("text (convert text to paths)");
                    break;
                case SvgImage:
                    Report("image (raster images inside an SVG)");
                    break;
                case SvgUse:
                    Report("use (references to other elements)");
                    break;
                case SvgVisualElement:
                    Report(element.GetType().Name);
                    break;
            }
        }

        private void Shape(SvgElement element, SKMatrix matrix)
        {
            var name = Name(element);
            var path = SvgGeometry.ToPath(element) ?? throw new DesignException(DesignProblem.Malformed, $"{name} has path data that cannot be parsed");
            if (element is SvgVisualElement visual)
            {
                if (visual.ClipPath is not null)
                {
                    Report("clip-path");
                }

                if (visual.Filter is not null)
                {
                    Report("filter");
                }
            }

            if (element.TryGetAttribute("mask", out _))
            {
                Report("mask");
            }

            if (element.StrokeDashArray is { Count: > 0 })
            {
                Report("stroke-dasharray (stroked solid)");
            }

            if (element.Opacity < 1)
            {
                Report("opacity (stitched opaque)");
            }

            path.FillType = element.FillRule == SvgFillRule.EvenOdd ? SKPathFillType.EvenOdd : SKPathFillType.Winding;
            path.Transform(matrix);
            _points += path.PointCount;
            if (_points > limits.MaxPathPoints)
            {
                throw new DesignException(DesignProblem.TooComplex, $"the SVG has more than {limits.MaxPathPoints:N0} path points");
            }

            var fill = element is SvgLine or SvgPolyline ? null : Paint(element.Fill, element.FillOpacity, fill: true);
            var stroke = Paint(element.Stroke, element.StrokeOpacity, fill: false);
            var scale = MathF.Sqrt(MathF.Abs(matrix.ScaleX * matrix.ScaleY - matrix.SkewX * matrix.SkewY));
            var strokeWidth = SvgUnits.User(element.StrokeWidth) * scale;
            if ((fill is null && stroke is null) || path.IsEmpty || (stroke is not null && strokeWidth <= 0 && fill is null))
            {
                return;
            }

            if (_shapes.Count == limits.MaxShapes)
            {
                throw new DesignException(DesignProblem.TooComplex, $"the SVG has more than {limits.MaxShapes:N0} shapes");
            }

            _shapes.Add(new DesignShape(name, path, fill, strokeWidth > 0 ? stroke : null, strokeWidth));
        }

        private ThreadColor? Paint(SvgPaintServer? paint, float opacity, bool fill)
        {
            if (opacity <= 0 || paint == SvgPaintServer.None)
            {
                return null;
            }

            if (paint is null || paint == SvgPaintServer.NotSet)
            {
                // SVG's defaults: fill black, stroke none.
                return fill ? new ThreadColor(0, 0, 0) : null;
            }

            if (paint is SvgColourServer colour)
            {
                var c = colour.Colour;
                return c.A == 0 ? null : new ThreadColor(c.R, c.G, c.B);
            }

            Report(fill ? "gradient or pattern fill" : "gradient or pattern stroke");
            return null;
        }

        private void Report(string feature) => _unsupported[feature] = _unsupported.GetValueOrDefault(feature) + 1;

        private string Name(SvgElement element)
        {
            var tag = element switch
            {
                SvgPath => "path",
                SvgRectangle => "rect",
                SvgCircle => "circle",
                SvgEllipse => "ellipse",
                SvgLine => "line",
                SvgPolyline => "polyline",
                SvgPolygon => "polygon",
                _ => element.GetType().Name,
            };
            return string.IsNullOrEmpty(element.ID) ? $"{tag} {_shapes.Count + 1}" : $"{tag}#{element.ID}";
        }
    }
}
