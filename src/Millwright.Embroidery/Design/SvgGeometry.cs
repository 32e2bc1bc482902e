using SkiaSharp;
using Svg;

namespace Millwright.Embroidery.Design;

/// <summary>The outline of a basic shape or path in its own user units, built with Skia.</summary>
internal static class SvgGeometry
{
    /// <summary>The outline; null when path data does not parse.</summary>
    public static SKPath? ToPath(SvgElement element)
    {
        switch (element)
        {
            case SvgPath p:
                return p.TryGetAttribute("d", out var d) && !string.IsNullOrWhiteSpace(d) ? SKPath.ParseSvgPathData(d) : new SKPath();
            case SvgRectangle r:
            {
                using var path = new SKPathBuilder();
                var rect = SKRect.Create(SvgUnits.User(r.X), SvgUnits.User(r.Y), SvgUnits.User(r.Width), SvgUnits.User(r.Height));
                if (rect.Width <= 0 || rect.Height <= 0)
                {
                    return new SKPath();
                }

                var rx = r.CornerRadiusX.IsNone || r.CornerRadiusX.Value <= 0 ? 0 : SvgUnits.User(r.CornerRadiusX);
                var ry = r.CornerRadiusY.IsNone || r.CornerRadiusY.Value <= 0 ? 0 : SvgUnits.User(r.CornerRadiusY);
                (rx, ry) = (rx > 0 ? rx : ry, ry > 0 ? ry : rx);
                path.AddRoundRect(rect, Math.Min(rx, rect.Width / 2), Math.Min(ry, rect.Height / 2));
                return path.Detach();
            }

            case SvgCircle c:
            {
                using var path = new SKPathBuilder();
                var radius = SvgUnits.User(c.Radius);
                if (radius > 0)
                {
                    path.AddCircle(SvgUnits.User(c.CenterX), SvgUnits.User(c.CenterY), radius);
                }

                return path.Detach();
            }

            case SvgEllipse e:
            {
                using var path = new SKPathBuilder();
                var (rx, ry) = (SvgUnits.User(e.RadiusX), SvgUnits.User(e.RadiusY));
                if (rx > 0 && ry > 0)
                {
                    path.AddOval(SKRect.Create(SvgUnits.User(e.CenterX) - rx, SvgUnits.User(e.CenterY) - ry, 2 * rx, 2 * ry));
                }

                return path.Detach();
            }

            case SvgLine l:
            {
                using var path = new SKPathBuilder();
                path.MoveTo(SvgUnits.User(l.StartX), SvgUnits.User(l.StartY));
                path.LineTo(SvgUnits.User(l.EndX), SvgUnits.User(l.EndY));
                return path.Detach();
            }

            case SvgPolygon poly:
            {
                using var path = new SKPathBuilder();
                var points = poly.Points;
                for (var i = 0; i + 1 < points.Count; i += 2)
                {
                    var (x, y) = (SvgUnits.User(points[i]), SvgUnits.User(points[i + 1]));
                    if (i == 0)
                    {
                        path.MoveTo(x, y);
                    }
                    else
                    {
                        path.LineTo(x, y);
                    }
                }

                if (poly is not SvgPolyline && points.Count >= 6)
                {
                    path.Close();
                }

                return path.Detach();
            }

            default:
                return null;
        }
    }
}
