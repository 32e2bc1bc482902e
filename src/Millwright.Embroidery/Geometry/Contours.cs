using SkiaSharp;

namespace Millwright.Embroidery.Geometry;

/// <summary>A path's contours as polylines (curves and conics cut into chords at most <c>tolerance</c> from the curve).</summary>
public static class Contours
{
    public sealed record Contour(IReadOnlyList<Vec> Points, bool Closed);

    public static List<Contour> Flatten(SKPath path, double tolerance = 0.05)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new List<Contour>();
        var current = new List<Vec>();
        var closed = false;
        using var iterator = path.CreateRawIterator();
        var pts = new SKPoint[4];
        SKPathVerb verb;
        while ((verb = iterator.Next(pts)) != SKPathVerb.Done)
        {
            switch (verb)
            {
                case SKPathVerb.Move:
                    Finish();
                    current.Add(V(pts[0]));
                    break;
                case SKPathVerb.Line:
                    Add(V(pts[1]));
                    break;
                case SKPathVerb.Quad:
                    Curve(t => Quad(pts, t), Span(pts, 3));
                    break;
                case SKPathVerb.Conic:
                    var w = iterator.ConicWeight();
                    Curve(t => Conic(pts, w, t), Span(pts, 3));
                    break;
                case SKPathVerb.Cubic:
                    Curve(t => Cubic(pts, t), Span(pts, 4));
                    break;
                case SKPathVerb.Close:
                    closed = true;
                    Finish();
                    break;
            }
        }

        Finish();
        return result;

        void Add(Vec p)
        {
            if (current.Count == 0 || Vec.Distance(current[^1], p) > 1e-9)
            {
                current.Add(p);
            }
        }

        void Curve(Func<double, Vec> at, double length)
        {
            // Chord error of a curve cut into n pieces falls as 1/n²; the control polygon bounds its length.
            var n = Math.Clamp((int)Math.Ceiling(Math.Sqrt(length / tolerance)), 1, 256);
            for (var i = 1; i <= n; i++)
            {
                Add(at((double)i / n));
            }
        }

        void Finish()
        {
            if (current.Count > 1 && closed && Vec.Distance(current[0], current[^1]) < 1e-9)
            {
                current.RemoveAt(current.Count - 1);
            }

            if (current.Count >= 2)
            {
                result.Add(new Contour(current.ToArray(), closed));
            }

            current = [];
            closed = false;
        }
    }

    private static Vec V(SKPoint p) => new(p.X, p.Y);

    private static double Span(SKPoint[] p, int count)
    {
        var sum = 0.0;
        for (var i = 1; i < count; i++)
        {
            sum += Vec.Distance(V(p[i - 1]), V(p[i]));
        }

        return sum;
    }

    private static Vec Quad(SKPoint[] p, double t)
    {
        var u = 1 - t;
        return V(p[0]) * (u * u) + V(p[1]) * (2 * u * t) + V(p[2]) * (t * t);
    }

    private static Vec Conic(SKPoint[] p, double w, double t)
    {
        var u = 1 - t;
        var (a, b, c) = (u * u, 2 * w * u * t, t * t);
        return (V(p[0]) * a + V(p[1]) * b + V(p[2]) * c) * (1 / (a + b + c));
    }

    private static Vec Cubic(SKPoint[] p, double t)
    {
        var u = 1 - t;
        return V(p[0]) * (u * u * u) + V(p[1]) * (3 * u * u * t) + V(p[2]) * (3 * u * t * t) + V(p[3]) * (t * t * t);
    }
}
