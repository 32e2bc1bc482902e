namespace Millwright.Tailoring;

/// <summary>
/// Real bodies of one sex: per row the measurements (ANSUR II names and units: mm, weightkg in tenths of a kg),
/// the subject id and the age in years.
/// </summary>
public sealed class BodySample(Sex sex, IReadOnlyList<string> names, IReadOnlyList<double[]> rows, IReadOnlyList<int> ids, IReadOnlyList<double> ages)
{
    public Sex Sex { get; } = sex;

    public IReadOnlyList<string> Names { get; } = names;

    public IReadOnlyList<double[]> Rows { get; } = rows;

    public IReadOnlyList<int> Ids { get; } = ids;

    public IReadOnlyList<double> Ages { get; } = ages;

    public int Count => Rows.Count;

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

    public double[] Column(int index) => Rows.Select(r => r[index]).ToArray();

    /// <summary>A deterministic split: every <paramref name="fold"/>-th row of a seeded shuffle is held out.</summary>
    public (BodySample Train, BodySample Test) Split(int fold, int seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        var rng = new Xoshiro((ulong)seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(rng.Next() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var test = order.Where((_, k) => k % fold == 0).Order().ToArray();
        var train = order.Where((_, k) => k % fold != 0).Order().ToArray();
        return (Subset(train), Subset(test));
    }

    private BodySample Subset(int[] indices) =>
        new(Sex, Names, indices.Select(i => Rows[i]).ToArray(), indices.Select(i => Ids[i]).ToArray(), indices.Select(i => Ages[i]).ToArray());
}
