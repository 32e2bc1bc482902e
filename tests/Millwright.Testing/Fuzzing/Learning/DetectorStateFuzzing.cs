using Millwright.Learning;

namespace Millwright.Fuzzing;

/// <summary>
/// `detectorstate`: <see cref="DetectorState.Restore"/>, which reads back what the platform saved of each series'
/// detector. Every mutated state must restore or fail with <see cref="FormatException"/>; a restored detector must go
/// on scoring every reading (ordinary ones, a spike, a gap, a late one) within [0, 1].
/// </summary>
internal sealed class DetectorStateFuzzing : IFuzzTarget
{
    private const long Start = 1_764_979_200_000;
    private const long Step = 600_000;

    public string Name => "detectorstate";

    public string Description => "saved anomaly detector state (restore, then scoring)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), Check, "restored");

    /// <summary>Three states: a young series, one in a hold right after a spike, and one over a day old with the weekly view.</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        var young = new AnomalyDetector();
        Feed(young, 40, spikeAt: -1);
        var held = new AnomalyDetector();
        Feed(held, 600, spikeAt: 599);
        var weekly = new AnomalyDetector();
        Feed(weekly, 300, spikeAt: 200);
        return [DetectorState.Save(young), DetectorState.Save(held), DetectorState.Save(weekly)];
    }

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>True when the state restored (and scored within bounds), false when it was refused properly.</summary>
    public static bool Check(byte[] input)
    {
        AnomalyDetector detector;
        try
        {
            detector = DetectorState.Restore(input);
        }
        catch (FormatException)
        {
            return false;
        }

        var t = Start + (1000 * Step);
        foreach (var (dt, value) in new (long, double)[] { (Step, 50), (Step, 51), (Step, 1e6), (100 * Step, 49), (-5 * Step, 50), (Step, -1e99) })
        {
            t += dt;
            var score = detector.Observe(t, value).Score;
            if (!(score is >= 0 and <= 1))
            {
                throw new InvalidOperationException($"score {score} outside [0, 1]");
            }
        }

        return true;
    }

    /// <summary>A daily swing with noise, one reading every ten minutes (the third seed spans two days).</summary>
    private static void Feed(AnomalyDetector detector, int readings, int spikeAt)
    {
        var random = new Random(readings);
        for (var i = 0; i < readings; i++)
        {
            var t = Start + (i * Step);
            var value = i == spikeAt ? 400 : 50 + (10 * Math.Sin(2 * Math.PI * (t % 86_400_000) / 86_400_000)) + random.NextDouble();
            detector.Observe(t, value);
        }
    }
}
