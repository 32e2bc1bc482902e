using System.Globalization;
using Xunit.Abstractions;

namespace Millwright.Learning.Tests.Nab;

public sealed class NabCorpusTests(ITestOutputHelper output)
{
    /// <summary>
    /// The constants that were set by scoring on these 24 files, each at its default and one step either side (one
    /// changed at a time): the candidates a held-out fold chooses its configuration from.
    /// </summary>
    private static readonly (string Name, DetectorOptions Options)[] Fitted =
    [
        ("default", DetectorOptions.Default),
        ("RangeBins 3", new DetectorOptions { RangeBins = 3 }),
        ("RangeBins 8", new DetectorOptions { RangeBins = 8 }),
        ("RangeLearning 200", new DetectorOptions { RangeLearning = 200 }),
        ("RangeLearning 450", new DetectorOptions { RangeLearning = 450 }),
        ("SeenReference 150", new DetectorOptions { SeenReference = 150 }),
        ("SeenReference 600", new DetectorOptions { SeenReference = 600 }),
        ("SeenExponent 0.3", new DetectorOptions { SeenExponent = 0.3 }),
        ("SeenExponent 0.7", new DetectorOptions { SeenExponent = 0.7 }),
        ("HoldShare 0.025", new DetectorOptions { HoldShare = 0.025 }),
        ("HoldShare 0.1", new DetectorOptions { HoldShare = 0.1 }),
        ("DetectionScore 0.5", new DetectorOptions { DetectionScore = 0.5 }),
        ("DetectionScore 0.7", new DetectorOptions { DetectionScore = 0.7 }),
        ("PeakDecay 0.98", new DetectorOptions { PeakDecay = 0.98 }),
        ("PeakDecay 0.995", new DetectorOptions { PeakDecay = 0.995 }),
        ("Damping 0.2", new DetectorOptions { Damping = 0.2 }),
        ("Damping 0.45", new DetectorOptions { Damping = 0.45 }),
    ];

    /// <summary>
    /// The figure in docs/benchmarks.md. The assertion is the target of 75, a little under the measured 77.3
    /// (a figure fitted to these same 24 files: the held-out figures are the next test's).
    /// </summary>
    [NabDataFact]
    public void Nab_corpus_scores_of_the_default_detector_stay_above_the_recorded_floor()
    {
        var files = NabCorpus.Score(NabCorpus.Directory()!);
        var results = NabProfile.All.Select(p => NabScorer.Best(files, p)).ToList();
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Profile.Name}: {r.Normalized:0.0} (raw {r.Raw:0.00}, threshold {r.Threshold:0.0000}, windows {r.Detected}/{r.Windows}, false positives {r.FalsePositives})"));
        }

        Assert.Equal(24, files.Count);
        Assert.Equal(39, results[0].Windows);
        Assert.True(results[0].Normalized >= 75, $"standard profile {results[0].Normalized:0.0}");
    }

    /// <summary>
    /// Leave one category out (docs/benchmarks.md): first the threshold alone chosen on the other three categories, then
    /// the threshold and the configuration (of <see cref="Fitted"/>) chosen there. Floors a little under the figures
    /// measured, so a change that fits the 24 files better but generalizes worse shows here. The low-FP and low-FN
    /// profiles are reported with the threshold alone held out.
    /// </summary>
    [NabDataFact]
    public void Nab_scores_with_a_category_held_out_stay_above_the_recorded_floors()
    {
        var corpus = NabCorpus.Load(NabCorpus.Directory()!);
        var scored = Fitted.Select(f => (f.Name, Files: NabCorpus.Score(corpus, f.Options))).ToList();

        var thresholdOnly = NabHoldOut.ThresholdOnly(scored[0].Files, NabProfile.Standard);
        Report("threshold chosen on the other categories, standard", thresholdOnly);
        var configured = NabHoldOut.WithConfiguration(scored, NabProfile.Standard);
        Report("threshold and configuration chosen on the other categories, standard", configured);
        foreach (var profile in new[] { NabProfile.LowFalsePositives, NabProfile.LowFalseNegatives })
        {
            Report($"threshold chosen on the other categories, {profile.Name}", NabHoldOut.ThresholdOnly(scored[0].Files, profile));
        }

        Assert.Equal(4, thresholdOnly.Folds.Count);
        Assert.Equal(39, thresholdOnly.Folds.Sum(f => f.Windows));
        Assert.True(thresholdOnly.Normalized >= 74, $"held out, threshold only: {thresholdOnly.Normalized:0.0}");
        Assert.True(configured.Normalized >= 72, $"held out, threshold and configuration: {configured.Normalized:0.0}");
    }

    private void Report(string what, NabHoldOut.Result result)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {result.Normalized:0.0}"));
        foreach (var f in result.Folds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {f.Category}: chose {f.Configuration}, threshold {f.Threshold:0.0000}; held out raw {f.Raw:0.00}, windows {f.Detected}/{f.Windows}, false positives {f.FalsePositives}"));
        }
    }
}
