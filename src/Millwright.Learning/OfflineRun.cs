namespace Millwright.Learning;

/// <summary>Runs one fresh detector over a whole recorded series in order, as the platform would have seen it live.</summary>
public static class OfflineRun
{
    public static double[] Score(IReadOnlyList<SeriesRow> rows, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var detector = new AnomalyDetector(options);
        var scores = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            scores[i] = detector.Observe(rows[i].TimestampMs, rows[i].Value).Score;
        }

        return scores;
    }
}
