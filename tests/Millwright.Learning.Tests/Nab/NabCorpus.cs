using System.Globalization;
using System.Text.Json;

namespace Millwright.Learning.Tests.Nab;

/// <summary>Loads the shared NAB series, runs the platform's detector over each, and pairs scores with windows.</summary>
internal static class NabCorpus
{
    public static string? Directory()
    {
        var configured = Environment.GetEnvironmentVariable("MILLWRIGHT_NAB_DATA");
        foreach (var candidate in new[] { configured, "/work/shared/data/nab" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(Path.Combine(candidate, "windows.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    public static List<NabFile> Score(string root, DetectorOptions? options = null) => Score(Load(root), options);

    /// <summary>Runs a fresh detector with <paramref name="options"/> over each loaded series.</summary>
    public static List<NabFile> Score(IReadOnlyList<NabSeries> corpus, DetectorOptions? options = null) =>
        corpus.Select(s => new NabFile(s.Name, OfflineRun.Score(s.Rows, options), s.Windows)).ToList();

    /// <summary>Reads every labelled file once, so that several configurations can be scored on it.</summary>
    public static List<NabSeries> Load(string root)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "windows.json")));
        var corpus = new List<NabSeries>();
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            var rows = SeriesCsv.Parse(File.ReadAllText(Path.Combine(root, "data", entry.Name)));
            var index = new Dictionary<long, int>();
            for (var i = 0; i < rows.Count; i++)
            {
                index.TryAdd(rows[i].TimestampMs, i);
            }

            var windows = entry.Value.EnumerateArray()
                .Select(w => (index[Millis(w[0].GetString()!)], index[Millis(w[1].GetString()!)]))
                .ToList();
            corpus.Add(new NabSeries(entry.Name, rows, windows));
        }

        return corpus;
    }

    /// <summary>The category of a file: its folder under data/ (artificialNoAnomaly, realKnownCause, ...).</summary>
    public static string Category(string name) => name[..name.IndexOf('/', StringComparison.Ordinal)];

    private static long Millis(string stamp) =>
        DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}

/// <summary>One labelled series as read: its rows and its anomaly windows as inclusive row ranges.</summary>
internal sealed record NabSeries(string Name, IReadOnlyList<SeriesRow> Rows, IReadOnlyList<(int First, int Last)> Windows);
