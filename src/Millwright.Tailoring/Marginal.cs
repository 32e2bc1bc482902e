namespace Millwright.Tailoring;

/// <summary>
/// One measurement's distribution as a monotone map between the latent normal score z and the value x: each
/// distinct observed value sits at the normal score of its mid-rank, values between are interpolated linearly, and
/// beyond the observed extremes the map continues straight with the slope of the outer 2 % (a normal-like tail of
/// the local spread, so generated bodies may exceed the sample's extremes a little, as a larger sample would).
/// </summary>
internal sealed class Marginal
{
    private readonly double[] _x;
    private readonly double[] _z;
    private readonly double _lowSlope;
    private readonly double _highSlope;

    private Marginal(double[] x, double[] z)
    {
        _x = x;
        _z = z;
        var m = Math.Max(1, x.Length / 50);
        _lowSlope = (x[m] - x[0]) / (z[m] - z[0]);
        _highSlope = (x[^1] - x[^(m + 1)]) / (z[^1] - z[^(m + 1)]);
    }

    public double Min => _x[0];

    public double Max => _x[^1];

    public static Marginal Fit(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var xs = new List<double>();
        var zs = new List<double>();
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i])
            {
                j++;
            }

            // Mid-rank of the tie group, 1-based: (i + 1 + j + 1) / 2; plotting position (rank - 0.5) / n.
            var rank = (i + j + 2) / 2.0;
            xs.Add(sorted[i]);
            zs.Add(Normal.Quantile((rank - 0.5) / n));
            i = j + 1;
        }

        if (xs.Count < 3)
        {
            throw new ArgumentException("a marginal needs at least three distinct values", nameof(values));
        }

        return new Marginal([.. xs], [.. zs]);
    }

    /// <summary>Value at latent score z.</summary>
    public double Quantile(double z)
    {
        if (z <= _z[0])
        {
            return _x[0] + (z - _z[0]) * _lowSlope;
        }

        if (z >= _z[^1])
        {
            return _x[^1] + (z - _z[^1]) * _highSlope;
        }

        var k = Array.BinarySearch(_z, z);
        if (k >= 0)
        {
            return _x[k];
        }

        k = ~k;
        var t = (z - _z[k - 1]) / (_z[k] - _z[k - 1]);
        return _x[k - 1] + t * (_x[k] - _x[k - 1]);
    }

    /// <summary>Latent score of value x: the inverse of <see cref="Quantile"/>.</summary>
    public double Score(double x)
    {
        if (x <= _x[0])
        {
            return _z[0] + (x - _x[0]) / _lowSlope;
        }

        if (x >= _x[^1])
        {
            return _z[^1] + (x - _x[^1]) / _highSlope;
        }

        var k = Array.BinarySearch(_x, x);
        if (k >= 0)
        {
            return _z[k];
        }

        k = ~k;
        var t = (x - _x[k - 1]) / (_x[k] - _x[k - 1]);
        return _z[k - 1] + t * (_z[k] - _z[k - 1]);
    }
}
