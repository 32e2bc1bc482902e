using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Tests;

/// <summary>Real men's bodies for the pattern tests: every 20th, and those at the extremes of the drafting measurements.</summary>
internal static class PatternBodies
{
    private static readonly string[] Extremes = ["chestcircumference", "waistcircumference", "buttockcircumference", "stature", "bicepscircumferenceflexed", "neckcircumference", "weightkg"];

    private static readonly Lazy<IReadOnlyList<(int Id, Measurements Body)>> Bodies = new(Load);

    public static IReadOnlyList<(int Id, Measurements Body)> Men => Bodies.Value;

    public static Measurements Of(BodySample sample, int row) => new(sample.Names.Select((n, j) => new KeyValuePair<string, double>(n, sample.Rows[row][j])));

    private static (int Id, Measurements Body)[] Load()
    {
        var sample = AnsurData.Male;
        var rows = new SortedSet<int>(Enumerable.Range(0, sample.Count).Where(i => i % 20 == 0));
        foreach (var name in Extremes)
        {
            var j = sample.IndexOf(name);
            var order = Enumerable.Range(0, sample.Count).OrderBy(i => sample.Rows[i][j]).ToArray();
            rows.UnionWith(order.Take(3));
            rows.UnionWith(order.TakeLast(3));
        }

        return rows.Select(i => (sample.Ids[i], Of(sample, i))).ToArray();
    }
}
