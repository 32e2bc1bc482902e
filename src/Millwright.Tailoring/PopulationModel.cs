namespace Millwright.Tailoring;

/// <summary>
/// A Gaussian copula with empirical marginals, per sex: each measurement (and age) keeps its own observed
/// distribution (<see cref="Marginal"/>, skew and all), and the dependence between them is a multivariate normal
/// on the latent normal scores. Unlike a normal on raw values it cannot draw a negative girth or a symmetric
/// weight distribution; unlike a log-normal it needs no assumption about any one measurement's shape.
/// </summary>
public sealed class PopulationModel : IBodyGenerator
{
    public const string AgeColumn = "age";

    private readonly Marginal[] _marginals;
    private readonly double[] _correlation;
    private readonly double[] _cholesky;
    private readonly double[] _shift;

    private PopulationModel(Sex sex, IReadOnlyList<string> names, Marginal[] marginals, double[] correlation, double[] cholesky, double[] shift)
    {
        Sex = sex;
        Names = names;
        _marginals = marginals;
        _correlation = correlation;
        _cholesky = cholesky;
        _shift = shift;
    }

    public Sex Sex { get; }

    /// <summary>The measurements, then <see cref="AgeColumn"/>.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Dimension => Names.Count;

    internal IReadOnlyList<Marginal> Marginals => _marginals;

    /// <summary>Latent correlation, row-major.</summary>
    internal ReadOnlySpan<double> Correlation => _correlation;

    /// <summary>Latent mean: zero for the survey population, shifted by a civilian adjustment.</summary>
    internal ReadOnlySpan<double> Shift => _shift;

    public static PopulationModel Fit(BodySample sample)
    {
        var rows = WithAge(sample);
        var dim = rows[0].Length;
        var marginals = new Marginal[dim];
        for (var j = 0; j < dim; j++)
        {
            var column = j;
            marginals[j] = Marginal.Fit(rows.Select(r => r[column]).ToArray());
        }

        var scores = rows.Select(r =>
        {
            var z = new double[dim];
            for (var j = 0; j < dim; j++)
            {
                z[j] = marginals[j].Score(r[j]);
            }

            return z;
        }).ToArray();

        // Correlation, not covariance, of the scores: tied values leave their variance a little under 1.
        var (_, cov) = Matrix.Covariance(scores, dim);
        var correlation = new double[dim * dim];
        for (var i = 0; i < dim; i++)
        {
            for (var j = 0; j < dim; j++)
            {
                correlation[i * dim + j] = cov[i * dim + j] / Math.Sqrt(cov[i * dim + i] * cov[j * dim + j]);
            }
        }

        return new PopulationModel(sample.Sex, ColumnNames(sample), marginals, correlation, Matrix.Cholesky(correlation, dim), new double[dim]);
    }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    void IBodyGenerator.Generate(ref Xoshiro rng, Span<double> scratch, Span<double> body) => Generate(ref rng, scratch, body);

    internal void Generate(ref Xoshiro rng, Span<double> scratch, Span<double> body)
    {
        var n = Dimension;
        var normals = scratch[..n];
        var latent = scratch.Slice(n, n);
        rng.FillNormals(normals);
        Matrix.LowerTimes(_cholesky, n, normals, latent);
        for (var j = 0; j < n; j++)
        {
            body[j] = _marginals[j].Quantile(latent[j] + _shift[j]);
        }
    }

    /// <summary>The same model with its latent mean moved (see <see cref="CivilianAdjustment"/>).</summary>
    internal PopulationModel WithShift(double[] shift) => new(Sex, Names, _marginals, _correlation, _cholesky, shift);

    internal static IReadOnlyList<string> ColumnNames(BodySample sample) => [.. sample.Names, AgeColumn];

    internal static double[][] WithAge(BodySample sample) =>
        sample.Rows.Select((r, i) => (double[])[.. r, sample.Ages[i]]).ToArray();
}
