namespace Millwright.Tailoring;

/// <summary>Mean, SD, 1st/50th/99th percentiles of every column of a set of bodies, and their correlation matrix.</summary>
internal sealed class ColumnStats
{
    private ColumnStats(double[] mean, double[] sd, double[] p1, double[] p50, double[] p99, double[] correlation)
    {
        Mean = mean;
        Sd = sd;
        P1 = p1;
        P50 = p50;
        P99 = p99;
        Correlation = correlation;
    }

    public double[] Mean { get; }

    public double[] Sd { get; }

    public double[] P1 { get; }

    public double[] P50 { get; }

    public double[] P99 { get; }

    public double[] Correlation { get; }

    public int Dimension => Mean.Length;

    public static ColumnStats Of(IReadOnlyList<double[]> rows)
    {
        var dim = rows[0].Length;
        var (mean, cov) = Matrix.Covariance(rows, dim);
        var sd = new double[dim];
        var p1 = new double[dim];
        var p50 = new double[dim];
        var p99 = new double[dim];
        var column = new double[rows.Count];
        for (var j = 0; j < dim; j++)
        {
            sd[j] = Math.Sqrt(cov[j * dim + j]);
            for (var r = 0; r < rows.Count; r++)
            {
                column[r] = rows[r][j];
            }

            Array.Sort(column);
            p1[j] = Percentile(column, 0.01);
            p50[j] = Percentile(column, 0.50);
            p99[j] = Percentile(column, 0.99);
        }

        var correlation = new double[dim * dim];
        for (var i = 0; i < dim; i++)
        {
            for (var j = 0; j < dim; j++)
            {
                correlation[i * dim + j] = cov[i * dim + j] / (sd[i] * sd[j]);
            }
        }

        return new ColumnStats(mean, sd, p1, p50, p99, correlation);
    }

    /// <summary>Linear interpolation between order statistics (the common "type 7" definition).</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
