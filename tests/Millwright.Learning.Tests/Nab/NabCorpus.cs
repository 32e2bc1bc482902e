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

    public static List<NabFile> Score(string root, DetectorOptions? options = null)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "windows.json")));
        var files = new List<NabFile>();
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
            files.Add(new NabFile(entry.Name, OfflineRun.Score(rows, options), windows));
        }

        return files;
    }

    private static long Millis(string stamp) =>
        DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
