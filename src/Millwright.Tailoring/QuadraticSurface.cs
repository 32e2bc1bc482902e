namespace Millwright.Tailoring;

/// <summary>
/// Every column as a quadratic function of a few given ones (their standardized values, squares and pairwise
/// products), fitted by ridge-regularized least squares on real bodies. On held-out ANSUR II bodies it predicts the
/// girths that grow faster than linearly with weight (thigh, buttock, biceps) better than the copula's conditional
/// median and than OLS (docs/benchmarks.md). The squares and products use the standardized values clipped to
/// ±<see cref="Clip"/>, so a borderline body is extrapolated along straight lines rather than a parabola.
/// </summary>
internal sealed class QuadraticSurface
{
    /// <summary>Standardized values beyond this enter the quadratic terms at this value.</summary>
    public const double Clip = 3.0;

    /// <summary>Penalty on the squared coefficients of the standardized terms (not the intercept).</summary>
    public const double Ridge = 1.0;

    private readonly double[] _mean;
    private readonly double[] _sd;
    private readonly double[] _coefficients;
    private readonly int _features;
    private readonly int _columns;

    private QuadraticSurface(double[] mean, double[] sd, double[] coefficients, int features, int columns)
    {
        _mean = mean;
        _sd = sd;
        _coefficients = coefficients;
        _features = features;
        _columns = columns;
    }

    public static int FeatureCount(int inputs) => 1 + inputs + inputs * (inputs + 1) / 2;

    /// <summary>Fits every column of <paramref name="rows"/> on the columns <paramref name="given"/>.</summary>
    public static QuadraticSurface Fit(IReadOnlyList<double[]> rows, int[] given)
    {
        var columns = rows[0].Length;
        var m = given.Length;
        var mean = new double[m];
        var sd = new double[m];
        for (var a = 0; a < m; a++)
        {
            mean[a] = rows.Average(r => r[given[a]]);
            var mu = mean[a];
            sd[a] = Math.Sqrt(rows.Average(r => (r[given[a]] - mu) * (r[given[a]] - mu)));
            if (sd[a] <= 0)
            {
                sd[a] = 1;
            }
        }

        var p = FeatureCount(m);
        var gram = new double[p * p];
        var cross = new double[p * columns];
        var x = new double[p];
        var input = new double[m];
        foreach (var row in rows)
        {
            for (var a = 0; a < m; a++)
            {
                input[a] = row[given[a]];
            }

            Features(input, mean, sd, x);
            for (var i = 0; i < p; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    gram[i * p + j] += x[i] * x[j];
                }

                for (var c = 0; c < columns; c++)
                {
                    cross[i * columns + c] += x[i] * row[c];
                }
            }
        }

        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[j * p + i] = gram[i * p + j];
            }

            gram[i * p + i] += i == 0 ? 0 : Ridge;
        }

        var l = Matrix.Cholesky(gram, p);
        var coefficients = new double[p * columns];
        var b = new double[p];
        for (var c = 0; c < columns; c++)
        {
            for (var i = 0; i < p; i++)
            {
                b[i] = cross[i * columns + c];
            }

            Matrix.CholeskySolve(l, p, b);
            for (var i = 0; i < p; i++)
            {
                coefficients[i * columns + c] = b[i];
            }
        }

        return new QuadraticSurface(mean, sd, coefficients, p, columns);
    }

    /// <summary>Predicts every column from the given values (in the order the surface was fitted on).</summary>
    public void Predict(ReadOnlySpan<double> input, Span<double> output)
    {
        Span<double> x = stackalloc double[_features];
        Features(input, _mean, _sd, x);
        output[.._columns].Clear();
        for (var i = 0; i < _features; i++)
        {
            var xi = x[i];
            var offset = i * _columns;
            for (var c = 0; c < _columns; c++)
            {
                output[c] += xi * _coefficients[offset + c];
            }
        }
    }

    private static void Features(ReadOnlySpan<double> input, double[] mean, double[] sd, Span<double> x)
    {
        var m = input.Length;
        Span<double> z = stackalloc double[m];
        Span<double> clipped = stackalloc double[m];
        x[0] = 1;
        for (var a = 0; a < m; a++)
        {
            z[a] = (input[a] - mean[a]) / sd[a];
            clipped[a] = Math.Clamp(z[a], -Clip, Clip);
            x[1 + a] = z[a];
        }

        var k = 1 + m;
        for (var a = 0; a < m; a++)
        {
            for (var b = a; b < m; b++)
            {
                x[k++] = clipped[a] * clipped[b];
            }
        }
    }
}
