namespace Millwright.Embroidery.Geometry;

/// <summary>A point or direction in millimetres.</summary>
public readonly record struct Vec(double X, double Y)
{
    public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y);

    public static Vec operator -(Vec a, Vec b) => new(a.X - b.X, a.Y - b.Y);

    public static Vec operator *(Vec a, double k) => new(a.X * k, a.Y * k);

    public double Length => Math.Sqrt(X * X + Y * Y);

    /// <summary>The unit vector in this direction, or (1, 0) for a zero vector.</summary>
    public Vec Unit => Length < 1e-12 ? new Vec(1, 0) : this * (1 / Length);

    /// <summary>This vector turned a quarter to the left.</summary>
    public Vec Normal => new(-Y, X);

    public Vec Rotate(double radians)
    {
        var (s, c) = Math.SinCos(radians);
        return new Vec(X * c - Y * s, X * s + Y * c);
    }

    public static double Distance(Vec a, Vec b) => (a - b).Length;

    // The generated ToString would print Unit, whose ToString prints its Unit, and so on.
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"({X:0.###}, {Y:0.###})");

    public static Vec Lerp(Vec a, Vec b, double t) => new(a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t);
}
