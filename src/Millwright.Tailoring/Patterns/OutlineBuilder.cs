using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>Builds a piece's net (sewing) outline point by point, remembering named points (anchors) on it.</summary>
internal sealed class OutlineBuilder
{
    private readonly List<Coordinate> _points = [];
    private readonly Dictionary<string, int> _anchors = new(StringComparer.Ordinal);

    public Coordinate Last => _points[^1];

    public OutlineBuilder To(double x, double y, string? anchor = null) => To(new Coordinate(x, y), anchor);

    public OutlineBuilder To(Coordinate point, string? anchor = null)
    {
        if (_points.Count == 0 || !_points[^1].Equals2D(point, 1e-9))
        {
            _points.Add(point.Copy());
        }

        if (anchor is not null)
        {
            _anchors[anchor] = _points.Count - 1;
        }

        return this;
    }

    public OutlineBuilder Curve(IEnumerable<Coordinate> points, string? anchor = null)
    {
        foreach (var p in points)
        {
            To(p);
        }

        if (anchor is not null)
        {
            _anchors[anchor] = _points.Count - 1;
        }

        return this;
    }

    public (Polygon Outline, IReadOnlyDictionary<string, int> Anchors) Close()
    {
        if (_points[^1].Equals2D(_points[0], 1e-9))
        {
            var closing = _points.Count - 1;
            _points.RemoveAt(closing);
            foreach (var name in _anchors.Where(a => a.Value == closing).Select(a => a.Key).ToArray())
            {
                _anchors[name] = 0;
            }
        }

        var ring = _points.Append(_points[0].Copy()).ToArray();
        return (Geometry.DefaultFactory.CreatePolygon(ring), _anchors);
    }
}
