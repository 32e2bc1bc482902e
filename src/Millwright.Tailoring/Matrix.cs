namespace Millwright.Tailoring;

/// <summary>The little dense linear algebra the models need: symmetric matrices stored row-major in a flat array.</summary>
internal static class Matrix
{
    /// <summary>Lower-triangular L with L Lᵀ = a; a small ridge is added when rounding leaves a pivot non-positive.</summary>
    public static double[] Cholesky(double[] a, int n)
    {
        for (var ridge = 0.0; ; ridge = ridge == 0 ? 1e-10 : ridge * 10)
        {
            var l = new double[n * n];
            var ok = true;
            for (var i = 0; i < n && ok; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    var sum = a[i * n + j] + (i == j ? ridge : 0);
                    for (var k = 0; k < j; k++)
                    {
                        sum -= l[i * n + k] * l[j * n + k];
                    }

                    if (i == j)
                    {
                        if (sum <= 0)
                        {
                            ok = false;
                            break;
                        }

                        l[i * n + i] = Math.Sqrt(sum);
                    }
                    else
                    {
                        l[i * n + j] = sum / l[j * n + j];
                    }
                }
            }

            if (ok)
            {
                return l;
            }

            if (ridge > 1)
            {
                throw new InvalidOperationException("matrix is not positive definite");
            }
        }
    }

    /// <summary>Solves (L Lᵀ) x = b in place given the Cholesky factor.</summary>
    public static void CholeskySolve(double[] l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i * n + k] * b[k];
            }

            b[i] = sum / l[i * n + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k * n + i] * b[k];
            }

            b[i] = sum / l[i * n + i];
        }
    }

    /// <summary>Sample covariance (divisor n - 1) of row-major data with <paramref name="columns"/> columns.</summary>
    public static (double[] Means, double[] Covariance) Covariance(IReadOnlyList<double[]> rows, int columns)
    {
        var means = new double[columns];
        foreach (var row in rows)
        {
            for (var j = 0; j < columns; j++)
            {
                means[j] += row[j];
            }
        }

        for (var j = 0; j < columns; j++)
        {
            means[j] /= rows.Count;
        }

        var cov = new double[columns * columns];
        var centred = new double[columns];
        foreach (var row in rows)
        {
            for (var j = 0; j < columns; j++)
            {
                centred[j] = row[j] - means[j];
            }

            for (var i = 0; i < columns; i++)
            {
                var ci = centred[i];
                for (var j = 0; j <= i; j++)
                {
                    cov[i * columns + j] += ci * centred[j];
                }
            }
        }

        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var v = cov[i * columns + j] / (rows.Count - 1);
                cov[i * columns + j] = v;
                cov[j * columns + i] = v;
            }
        }

        return (means, cov);
    }

    /// <summary>y = L z for lower-triangular L (a correlated normal vector from independent ones).</summary>
    public static void LowerTimes(double[] l, int n, ReadOnlySpan<double> z, Span<double> y)
    {
        for (var i = 0; i < n; i++)
        {
            var row = l.AsSpan(i * n, i + 1);
            var sum = 0.0;
            for (var k = 0; k <= i; k++)
            {
                sum += row[k] * z[k];
            }

            y[i] = sum;
        }
    }
}
