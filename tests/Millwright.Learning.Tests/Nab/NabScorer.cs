namespace Millwright.Learning.Tests.Nab;

/// <summary>
/// NAB 1.1 scoring as /work/shared/data/nab/README.md states it: probationary rows left out, the earliest
/// detection in a window rewarded A_TP·σ(p)/σ(−1), a window without one costing A_FN, each detection outside the
/// windows costing A_FP·σ(y) by its distance after the preceding window (−A_FP with none before it, or more than
/// three window widths after), one threshold per profile for the whole corpus chosen to maximize the raw score,
/// normalized so that the null detector scores 0 and the perfect one 100. A window that lies wholly inside the
/// probationary period cannot be detected and is left out (none of the shared files has one).
/// </summary>
internal static class NabScorer
{
    public static double Sigma(double y) => 2 / (1 + Math.Exp(5 * y)) - 1;

    /// <summary>The raw score of all files at one threshold; also counts detected windows and false positives.</summary>
    public static (double Raw, int Detected, int FalsePositives) Raw(IReadOnlyList<NabFile> files, double threshold, NabProfile profile) =>
        Raw(files.Select(Prepare).ToList(), threshold, profile);

    private static (double Raw, int Detected, int FalsePositives) Raw(List<Prepared> files, double threshold, NabProfile profile)
    {
        var raw = 0.0;
        var detected = 0;
        var falsePositives = 0;
        foreach (var (file, windows, factor) in files)
        {
            var start = file.Probation;
            foreach (var (first, last) in windows)
            {
                var width = last - first + 1;
                var hit = -1;
                for (var i = Math.Max(first, start); i <= last && hit < 0; i++)
                {
                    hit = file.Scores[i] >= threshold ? i : -1;
                }

                if (hit < 0)
                {
                    raw -= profile.FalseNegative;
                    continue;
                }

                detected++;
                var p = -(double)(last - hit + 1) / width;
                raw += profile.TruePositive * Sigma(p) / Sigma(-1);
            }

            for (var i = start; i < file.Scores.Length; i++)
            {
                // NaN marks a row inside a window: never a false positive.
                if (file.Scores[i] >= threshold && !double.IsNaN(factor[i]))
                {
                    falsePositives++;
                    raw += profile.FalsePositive * factor[i];
                }
            }
        }

        return (raw, detected, falsePositives);
    }

    /// <summary>Per row, its false-positive factor (NaN inside a window), worked out once per file.</summary>
    private static Prepared Prepare(NabFile file)
    {
        var windows = Scored(file);
        var factor = new double[file.Scores.Length];
        for (var i = 0; i < factor.Length; i++)
        {
            factor[i] = windows.Any(w => w.First <= i && i <= w.Last) ? double.NaN : FalsePositiveFactor(windows, i);
        }

        return new Prepared(file, windows, factor);
    }

    private sealed record Prepared(NabFile File, List<(int First, int Last)> Windows, double[] Factor);

    /// <summary>σ(y) by the distance after the nearest preceding window, or −1 with none or beyond three widths.</summary>
    public static double FalsePositiveFactor(IReadOnlyList<(int First, int Last)> windows, int row)
    {
        (int First, int Last)? previous = null;
        foreach (var w in windows)
        {
            if (w.Last < row && (previous is null || w.Last > previous.Value.Last))
            {
                previous = w;
            }
        }

        if (previous is not { } before || before.Last == before.First)
        {
            return -1;
        }

        var y = (double)(row - before.Last) / (before.Last - before.First);
        return y > 3 ? -1 : Sigma(y);
    }

    /// <summary>Tries every distinct score as the threshold (the raw score changes only there) and keeps the best.</summary>
    public static NabResult Best(IReadOnlyList<NabFile> files, NabProfile profile, int candidates = 400)
    {
        var windows = files.Sum(f => Scored(f).Count);
        var nullRaw = -profile.FalseNegative * windows;
        var perfectRaw = profile.TruePositive * windows;
        var best = new NabResult(profile, double.PositiveInfinity, nullRaw, 0, windows, 0, 0);
        var prepared = files.Select(Prepare).ToList();
        foreach (var threshold in Candidates(files, candidates))
        {
            var (raw, detected, falsePositives) = Raw(prepared, threshold, profile);
            if (raw > best.Raw)
            {
                best = new NabResult(profile, threshold, raw, 100 * (raw - nullRaw) / (perfectRaw - nullRaw), windows, detected, falsePositives);
            }
        }

        return best;
    }

    private static List<(int First, int Last)> Scored(NabFile file) =>
        file.Windows.Where(w => w.Last >= file.Probation).ToList();

    /// <summary>
    /// Thresholds worth trying: each window's running maxima (its first detection moves only there) and the
    /// highest scores outside windows; lower thresholds would each add hundreds of false positives.
    /// </summary>
    private static SortedSet<double> Candidates(IReadOnlyList<NabFile> files, int outside)
    {
        var set = new SortedSet<double>();
        var others = new List<double>();
        foreach (var file in files)
        {
            var windows = Scored(file);
            for (var i = file.Probation; i < file.Scores.Length; i++)
            {
                var s = file.Scores[i];
                if (s <= 0)
                {
                    continue;
                }

                if (!windows.Any(w => w.First <= i && i <= w.Last))
                {
                    others.Add(s);
                }
            }

            foreach (var (first, last) in windows)
            {
                var max = 0.0;
                for (var i = Math.Max(first, file.Probation); i <= last; i++)
                {
                    if (file.Scores[i] > max)
                    {
                        max = file.Scores[i];
                        set.Add(max);
                    }
                }
            }
        }

        others.Sort();
        others.Reverse();
        foreach (var s in others.Take(outside))
        {
            set.Add(s);
        }

        return set;
    }
}
