namespace Millwright.Learning.Tests;

/// <summary>Synthetic series for the detector tests: seeded, one reading a minute unless said otherwise.</summary>
internal static class Series
{
    public const long Minute = 60_000;
    public const long Start = 1_764_979_200_000; // 2025-12-06 00:00 UTC

    public static double Noise(Random random) => random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;

    /// <summary>Feeds <paramref name="values"/> one a minute and returns every verdict.</summary>
    public static List<AnomalyVerdict> Run(AnomalyDetector detector, IEnumerable<double> values, long start = Start, long step = Minute)
    {
        var verdicts = new List<AnomalyVerdict>();
        var t = start;
        foreach (var v in values)
        {
            verdicts.Add(detector.Observe(t, v));
            t += step;
        }

        return verdicts;
    }

    public static IEnumerable<double> Steady(int count, int seed, double level = 50, double noise = 1)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return level + noise * Noise(random);
        }
    }

    /// <summary>A daily sine (one reading every five minutes gives 288 a day) with noise.</summary>
    public static double Daily(long ms, Random random) =>
        100 + 20 * Math.Sin(2 * Math.PI * (ms % 86_400_000) / 86_400_000) + Noise(random);

    public static int CountAbove(IEnumerable<AnomalyVerdict> verdicts, double score) => verdicts.Count(v => v.Score >= score);

    public static double Max(IEnumerable<AnomalyVerdict> verdicts) => verdicts.Max(v => v.Score);
}
