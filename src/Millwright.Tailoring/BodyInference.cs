using System.Collections.Concurrent;

namespace Millwright.Tailoring;

/// <summary>
/// From a few measurements to the whole body: the population model's latent normal conditioned on the given values.
/// Each given value becomes its latent score; the unknown scores are normal with mean R_UG R_GG⁻¹ z_G and covariance
/// R_UU − R_UG R_GG⁻¹ R_GU; mapping the conditional median and the 5th/95th percentiles back through the marginals
/// (monotone maps keep quantiles) gives each inferred value and its 90 % prediction interval.
/// When the real bodies the model was fitted on are supplied and at most <see cref="MaxSurfaceInputs"/> values are
/// given, the point value comes instead from a <see cref="QuadraticSurface"/> fitted on those bodies (more accurate
/// on held-out bodies, docs/benchmarks.md), and the interval keeps the copula's shape around it: the point plus the
/// copula's 5th and 95th percentiles minus its median (skewed where the measurement is).
/// </summary>
public sealed class BodyInference(PopulationModel model, BodySample? fittedOn = null)
{
    /// <summary>Above this many given values the quadratic terms outnumber what the survey can fit well.</summary>
    public const int MaxSurfaceInputs = 6;

    private const int MaxCachedSurfaces = 256;

    private readonly IReadOnlyList<double[]>? _rows = fittedOn is null ? null : PopulationModel.WithAge(fittedOn);
    private readonly ConcurrentDictionary<string, QuadraticSurface> _surfaces = new();

    public PopulationModel Model { get; } = model;

    /// <summary>Whether point values come from the quadratic surface (real bodies supplied) or the copula alone.</summary>
    public bool UsesSurface => _rows is not null;

    /// <summary>Infers every column not in <paramref name="given"/> (column index → value in the data set's units).</summary>
    public InferredBody Infer(IReadOnlyDictionary<int, double> given)
    {
        var dim = Model.Dimension;
        var g = given.Keys.Order().ToArray();
        var zg = g.Select(j => Model.Marginals[j].Score(given[j])).ToArray();
        var (coefficients, lgg) = Solve(g, zg);
        var values = new double[dim];
        var low = new double[dim];
        var high = new double[dim];
        var isGiven = new bool[dim];
        var correlation = Model.Correlation;
        var column = new double[g.Length];
        double[]? point = null;
        if (Surface(g) is { } surface)
        {
            point = new double[dim];
            surface.Predict(g.Select(j => given[j]).ToArray(), point);
        }

        for (var u = 0; u < dim; u++)
        {
            if (given.TryGetValue(u, out var value))
            {
                values[u] = low[u] = high[u] = value;
                isGiven[u] = true;
                continue;
            }

            var mean = 0.0;
            for (var a = 0; a < g.Length; a++)
            {
                mean += correlation[u * dim + g[a]] * coefficients[a];
                column[a] = correlation[u * dim + g[a]];
            }

            Matrix.CholeskySolve(lgg, g.Length, column);
            var variance = 1.0;
            for (var a = 0; a < g.Length; a++)
            {
                variance -= correlation[u * dim + g[a]] * column[a];
            }

            var sd = Math.Sqrt(Math.Max(variance, 1e-12));
            var marginal = Model.Marginals[u];
            var median = marginal.Quantile(mean);
            var shift = point is null ? 0 : point[u] - median;
            values[u] = median + shift;
            low[u] = marginal.Quantile(mean - Normal.Z95 * sd) + shift;
            high[u] = marginal.Quantile(mean + Normal.Z95 * sd) + shift;
        }

        return new InferredBody(values, low, high, isGiven);
    }

    /// <summary>
    /// How unusual each given value is next to the others: its latent score against its conditional distribution
    /// given the rest (or its marginal when it is alone), as (z, mean, sd) in latent units.
    /// </summary>
    internal (double Z, double Mean, double Sd) Surprise(IReadOnlyDictionary<int, double> given, int column)
    {
        var rest = given.Keys.Where(k => k != column).Order().ToArray();
        var z = Model.Marginals[column].Score(given[column]);
        if (rest.Length == 0)
        {
            return (z, 0, 1);
        }

        var zr = rest.Select(j => Model.Marginals[j].Score(given[j])).ToArray();
        var (coefficients, l) = Solve(rest, zr);
        var dim = Model.Dimension;
        var correlation = Model.Correlation;
        var mean = 0.0;
        var c = new double[rest.Length];
        for (var a = 0; a < rest.Length; a++)
        {
            mean += correlation[column * dim + rest[a]] * coefficients[a];
            c[a] = correlation[column * dim + rest[a]];
        }

        Matrix.CholeskySolve(l, rest.Length, c);
        var variance = 1.0;
        for (var a = 0; a < rest.Length; a++)
        {
            variance -= correlation[column * dim + rest[a]] * c[a];
        }

        var sd = Math.Sqrt(Math.Max(variance, 1e-6));
        return ((z - mean) / sd, mean, sd);
    }

    private QuadraticSurface? Surface(int[] g)
    {
        if (_rows is null || g.Length == 0 || g.Length > MaxSurfaceInputs)
        {
            return null;
        }

        var key = string.Join(',', g);
        if (_surfaces.TryGetValue(key, out var surface))
        {
            return surface;
        }

        // Fitting costs a few milliseconds; the cache only spares repeats, so a full one is simply cleared.
        if (_surfaces.Count >= MaxCachedSurfaces)
        {
            _surfaces.Clear();
        }

        return _surfaces.GetOrAdd(key, _ => QuadraticSurface.Fit(_rows, g));
    }

    private (double[] Coefficients, double[] Cholesky) Solve(int[] g, double[] zg)
    {
        var dim = Model.Dimension;
        var rgg = new double[g.Length * g.Length];
        for (var a = 0; a < g.Length; a++)
        {
            for (var b = 0; b < g.Length; b++)
            {
                rgg[a * g.Length + b] = Model.Correlation[g[a] * dim + g[b]];
            }
        }

        var l = g.Length == 0 ? [] : Matrix.Cholesky(rgg, g.Length);
        var coefficients = (double[])zg.Clone();
        if (g.Length > 0)
        {
            Matrix.CholeskySolve(l, g.Length, coefficients);
        }

        return (coefficients, l);
    }
}
