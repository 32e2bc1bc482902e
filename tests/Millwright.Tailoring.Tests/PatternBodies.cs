using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Tests;

/// <summary>Real bodies for the pattern tests, per sex: every 20th (every 10th woman: half as many were measured), and those at the extremes of the drafting measurements.</summary>
internal static class PatternBodies
{
    private static readonly string[] Extremes = ["chestcircumference", "waistcircumference", "buttockcircumference", "stature", "bicepscircumferenceflexed", "neckcircumference", "weightkg",
        "waistheightomphalion", "buttockheight", "kneeheightmidpatella"];

    private static readonly Lazy<IReadOnlyList<(int Id, Measurements Body)>> MenBodies = new(() => Load(AnsurData.Male, 20));

    private static readonly Lazy<IReadOnlyList<(int Id, Measurements Body)>> WomenBodies = new(() => Load(AnsurData.Female, 10));

    public static IReadOnlyList<(int Id, Measurements Body)> Men => MenBodies.Value;

    public static IReadOnlyList<(int Id, Measurements Body)> Women => WomenBodies.Value;

    public static Measurements Of(BodySample sample, int row) => new(sample.Names.Select((n, j) => new KeyValuePair<string, double>(n, sample.Rows[row][j])));

    private static (int Id, Measurements Body)[] Load(BodySample sample, int every)
    {
        var rows = new SortedSet<int>(Enumerable.Range(0, sample.Count).Where(i => i % every == 0));
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
