namespace Millwright.Learning.Tests.Nab;

/// <summary>
/// Leave one category out: whatever is chosen by scoring (the threshold, and optionally the configuration) is chosen on
/// the other three categories and the held-out one is scored with it. The held-out raw scores of the four folds are
/// summed and normalized like a whole-corpus score, so a figure fitted to the 24 files shows as the gap to this one.
/// </summary>
internal static class NabHoldOut
{
    /// <summary>One fold: the held-out category, what the other three chose, and the held-out result.</summary>
    public sealed record Fold(string Category, string Configuration, double Threshold, double Raw, int Detected, int Windows, int FalsePositives);

    /// <summary>The normalized held-out score and its folds.</summary>
    public sealed record Result(double Normalized, IReadOnlyList<Fold> Folds);

    /// <summary>The threshold chosen per fold; the configuration is the one the files were scored with.</summary>
    public static Result ThresholdOnly(List<NabFile> files, NabProfile profile) =>
        WithConfiguration([("as scored", files)], profile);

    /// <summary>
    /// Per fold, the configuration (of <paramref name="candidates"/>, each a name and the corpus scored with it) and the
    /// threshold with the best raw score on the other categories; ties keep the earlier candidate.
    /// </summary>
    public static Result WithConfiguration(IReadOnlyList<(string Name, List<NabFile> Files)> candidates, NabProfile profile)
    {
        var categories = candidates[0].Files.Select(f => NabCorpus.Category(f.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        var folds = new List<Fold>();
        foreach (var category in categories)
        {
            (string Name, List<NabFile> Files, NabResult Train)? best = null;
            foreach (var (name, files) in candidates)
            {
                var train = NabScorer.Best(files.Where(f => NabCorpus.Category(f.Name) != category).ToList(), profile);
                if (best is null || train.Raw > best.Value.Train.Raw)
                {
                    best = (name, files, train);
                }
            }

            var heldOut = best!.Value.Files.Where(f => NabCorpus.Category(f.Name) == category).ToList();
            var (raw, detected, falsePositives) = NabScorer.Raw(heldOut, best.Value.Train.Threshold, profile);
            var windows = heldOut.Sum(f => f.Windows.Count(w => w.Last >= f.Probation));
            folds.Add(new Fold(category, best.Value.Name, best.Value.Train.Threshold, raw, detected, windows, falsePositives));
        }

        var total = folds.Sum(f => f.Windows);
        var nullRaw = -profile.FalseNegative * total;
        var perfectRaw = profile.TruePositive * total;
        return new Result(100 * (folds.Sum(f => f.Raw) - nullRaw) / (perfectRaw - nullRaw), folds);
    }
}
