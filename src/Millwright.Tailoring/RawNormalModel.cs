namespace Millwright.Tailoring;

/// <summary>The baseline the population model must beat: one multivariate normal on the raw values.</summary>
internal sealed class RawNormalModel : IBodyGenerator
{
    private readonly double[] _means;
    private readonly double[] _cholesky;

    private RawNormalModel(IReadOnlyList<string> names, double[] means, double[] cholesky)
    {
        Names = names;
        _means = means;
        _cholesky = cholesky;
    }

    public IReadOnlyList<string> Names { get; }

    public static RawNormalModel Fit(BodySample sample)
    {
        var rows = PopulationModel.WithAge(sample);
        var (means, cov) = Matrix.Covariance(rows, rows[0].Length);
        return new RawNormalModel(PopulationModel.ColumnNames(sample), means, Matrix.Cholesky(cov, means.Length));
    }

    public void Generate(ref Xoshiro rng, Span<double> scratch, Span<double> body)
    {
        var n = _means.Length;
        var normals = scratch[..n];
        rng.FillNormals(normals);
        Matrix.LowerTimes(_cholesky, n, normals, body);
        for (var j = 0; j < n; j++)
        {
            body[j] += _means[j];
        }
    }
}
