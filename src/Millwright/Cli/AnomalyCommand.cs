using System.CommandLine;
using System.Globalization;
using System.Text;
using Millwright.Learning;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright anomaly nab DATA_DIR -o OUT_DIR</c>: runs the platform's anomaly detector online over every
/// <c>timestamp,value</c> CSV under DATA_DIR (one folder per category) and writes
/// OUT_DIR/&lt;category&gt;/&lt;file&gt;.csv with <c>timestamp,value,anomaly_score</c> (docs/anomaly-detection.md).
/// </summary>
internal static class AnomalyCommand
{
    public static Command Create()
    {
        var command = new Command("anomaly", "Streaming anomaly detection");
        command.Subcommands.Add(Nab());
        return command;
    }

    private static Command Nab()
    {
        var data = new Argument<string>("DATA_DIR") { Description = "Folder of category folders of timestamp,value CSV files (NAB's data/)" };
        var output = new Option<string>("-o", "--output") { Description = "Folder to write the scored files to", Required = true };
        var command = new Command("nab", "Score every timestamp,value file under DATA_DIR with the platform's detector, NAB style");
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.SetAction((result, ct) =>
            Task.FromResult(Run(result.GetValue(data)!, result.GetValue(output)!, Console.Error, ct)));
        return command;
    }

    internal static int Run(string dataDir, string outDir, TextWriter errors, CancellationToken ct)
    {
        if (!Directory.Exists(dataDir))
        {
            errors.WriteLine($"millwright: {dataDir} is not a directory");
            return ExitCodes.Usage;
        }

        var files = Directory.GetFiles(dataDir, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            errors.WriteLine($"millwright: no .csv files under {dataDir}");
            return ExitCodes.InvalidInput;
        }

        // Every file is read and checked before anything is written, so a bad file leaves no half-written output.
        var parsed = new List<(string Relative, List<SeriesRow> Rows)>();
        foreach (var path in files)
        {
            try
            {
                parsed.Add((Path.GetRelativePath(dataDir, path), SeriesCsv.Parse(File.ReadAllText(path))));
            }
            catch (SeriesFormatException e)
            {
                errors.WriteLine($"millwright: {path}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"millwright: cannot read {path}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        }

        using var progress = new ProgressBar(errors, parsed.Count, TimeSpan.FromSeconds(1));
        var rows = 0L;
        foreach (var (relative, series) in parsed)
        {
            ct.ThrowIfCancellationRequested();
            progress.Begin(relative);
            var scores = OfflineRun.Score(series);
            var target = Path.Combine(outDir, relative);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, Format(series, scores));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                progress.Clear();
                errors.WriteLine($"millwright: cannot write {target}: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            rows += series.Count;
        }

        progress.Clear();
        errors.WriteLine($"millwright: scored {rows} readings in {parsed.Count} files into {outDir}");
        return ExitCodes.Ok;
    }

    /// <summary>Timestamps are copied verbatim; values and scores in invariant culture, round-trip precision.</summary>
    internal static string Format(IReadOnlyList<SeriesRow> rows, double[] scores)
    {
        var text = new StringBuilder(rows.Count * 40);
        text.Append("timestamp,value,anomaly_score\n");
        for (var i = 0; i < rows.Count; i++)
        {
            text.Append(rows[i].TimestampText).Append(',')
                .Append(rows[i].Value.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
