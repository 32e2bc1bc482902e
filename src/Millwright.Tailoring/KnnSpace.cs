namespace Millwright.Tailoring;

/// <summary>
/// The bodies of a table seen through some of its columns: each value standardized by the column's mean and SD over
/// those bodies (as float; the table's integer units fit a float exactly), and a weight per column. Both the k-d
/// tree and the brute-force search measure distance with <see cref="Distance"/> here, term by term in the same
/// order, so they see bit-identical distances and their results can be compared exactly.
/// </summary>
public sealed class KnnSpace
{
    private KnnSpace(IReadOnlyList<string> columns, double[] means, double[] sds, double[] weights, int[] rows, float[] points)
    {
        Columns = columns;
        Means = means;
        Sds = sds;
        Weights = weights;
        Rows = rows;
        Points = points;
    }

    public IReadOnlyList<string> Columns { get; }

    public int Dimension => Columns.Count;

    public IReadOnlyList<double> Means { get; }

    public IReadOnlyList<double> Sds { get; }

    internal double[] Weights { get; }

    /// <summary>The table rows included, ascending.</summary>
    internal int[] Rows { get; }

    /// <summary>Standardized coordinates, <see cref="Dimension"/> floats per included row, in <see cref="Rows"/> order.</summary>
    internal float[] Points { get; }

    public int Count => Rows.Length;

    /// <summary>The space of <paramref name="columns"/> over the table's bodies (of one sex when given).</summary>
    public static KnnSpace Build(BodyTable table, IReadOnlyList<string> columns, IReadOnlyList<double>? weights = null, Sex? sex = null)
    {
        if (columns.Count == 0)
        {
            throw new ArgumentException("at least one measurement is needed", nameof(columns));
        }

        var w = weights?.ToArray() ?? Enumerable.Repeat(1.0, columns.Count).ToArray();
        if (w.Length != columns.Count || w.Any(x => !double.IsFinite(x) || x <= 0))
        {
            throw new ArgumentException("one positive weight per measurement", nameof(weights));
        }

        var data = columns.Select(table.Column).ToArray();
        var rows = Enumerable.Range(0, table.Count).Where(i => sex is null || table.Sexes[i] == (byte)sex.Value).ToArray();
        var d = columns.Count;
        var means = new double[d];
        var sds = new double[d];
        for (var j = 0; j < d; j++)
        {
            var column = data[j];
            double sum = 0, squares = 0;
            foreach (var r in rows)
            {
                sum += column[r];
                squares += (double)column[r] * column[r];
            }

            means[j] = sum / rows.Length;
            sds[j] = Math.Max(1e-9, Math.Sqrt(Math.Max(0, squares / rows.Length - means[j] * means[j])));
        }

        var points = new float[rows.Length * d];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < d; j++)
            {
                points[i * d + j] = (float)((data[j][rows[i]] - means[j]) / sds[j]);
            }
        }

        return new KnnSpace(columns.ToArray(), means, sds, w, rows, points);
    }

    /// <summary>A query in the columns' own units, standardized as the bodies were.</summary>
    public float[] Standardize(IReadOnlyList<double> values)
    {
        if (values.Count != Dimension)
        {
            throw new ArgumentException($"{Dimension} values are needed", nameof(values));
        }

        var q = new float[Dimension];
        for (var j = 0; j < Dimension; j++)
        {
            q[j] = (float)((values[j] - Means[j]) / Sds[j]);
        }

        return q;
    }

    internal static double Distance(ReadOnlySpan<float> point, ReadOnlySpan<float> query, ReadOnlySpan<double> weights)
    {
        var sum = 0.0;
        for (var j = 0; j < query.Length; j++)
        {
            var diff = (double)point[j] - query[j];
            sum += weights[j] * (diff * diff);
        }

        return sum;
    }

    /// <summary>
    /// Lower bound of <see cref="Distance"/> for any point inside the box: each term is computed the same way from a
    /// difference no larger than the point's own, and rounding is monotone, so the bound never exceeds a distance.
    /// </summary>
    internal static double BoxDistance(ReadOnlySpan<float> low, ReadOnlySpan<float> high, ReadOnlySpan<float> query, ReadOnlySpan<double> weights)
    {
        var sum = 0.0;
        for (var j = 0; j < query.Length; j++)
        {
            var q = query[j];
            var diff = q < low[j] ? (double)low[j] - q : q > high[j] ? (double)high[j] - q : 0.0;
            sum += weights[j] * (diff * diff);
        }

        return sum;
    }
}
