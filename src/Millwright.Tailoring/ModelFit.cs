namespace Millwright.Tailoring;

/// <summary>
/// How far a set of generated bodies is from real ones, every figure in units of the real SD of the column
/// (so girths and lengths weigh alike): mean absolute error of means, SDs and percentiles over all columns, and the
/// mean and largest absolute error of the pairwise correlations.
/// </summary>
public sealed record ModelFit(double Mean, double Sd, double P1, double P50, double P99, double CorrelationMean, double CorrelationMax)
{
    internal static ModelFit Compare(ColumnStats real, ColumnStats generated)
    {
        var dim = real.Dimension;
        double mean = 0, sd = 0, p1 = 0, p50 = 0, p99 = 0;
        for (var j = 0; j < dim; j++)
        {
            var s = real.Sd[j];
            mean += Math.Abs(generated.Mean[j] - real.Mean[j]) / s;
            sd += Math.Abs(generated.Sd[j] - real.Sd[j]) / s;
            p1 += Math.Abs(generated.P1[j] - real.P1[j]) / s;
            p50 += Math.Abs(generated.P50[j] - real.P50[j]) / s;
            p99 += Math.Abs(generated.P99[j] - real.P99[j]) / s;
        }

        double corrSum = 0, corrMax = 0;
        var pairs = 0;
        for (var i = 0; i < dim; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var e = Math.Abs(generated.Correlation[i * dim + j] - real.Correlation[i * dim + j]);
                corrSum += e;
                corrMax = Math.Max(corrMax, e);
                pairs++;
            }
        }

        return new ModelFit(mean / dim, sd / dim, p1 / dim, p50 / dim, p99 / dim, corrSum / pairs, corrMax);
    }
}
