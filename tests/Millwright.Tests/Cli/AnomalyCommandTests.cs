using System.Diagnostics;
using System.Globalization;
using Millwright.Cli;
using Millwright.Learning;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright anomaly nab</c> run as the real program on a small NAB-shaped folder.</summary>
public sealed class AnomalyCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-anomaly-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Nab_writes_one_scored_row_per_input_row_with_the_timestamp_verbatim_and_the_platforms_scores()
    {
        var data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(Path.Combine(data, "machines"));
        var random = new Random(3);
        var lines = new List<string> { "timestamp,value" };
        var start = new DateTime(2014, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 2000; i++)
        {
            var value = i == 1500 ? 90 : 50 + random.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{value}"));
        }

        var input = Path.Combine(data, "machines", "spindle.csv");
        await File.WriteAllTextAsync(input, string.Join('\n', lines) + "\n");
        var output = Path.Combine(_directory, "out");

        var (code, _, errors) = await RunAsync("anomaly", "nab", data, "-o", output);

        Assert.True(code == ExitCodes.Ok, errors);
        var written = await File.ReadAllLinesAsync(Path.Combine(output, "machines", "spindle.csv"));
        Assert.Equal("timestamp,value,anomaly_score", written[0]);
        Assert.Equal(lines.Count, written.Length);
        var expected = OfflineRun.Score(SeriesCsv.Parse(await File.ReadAllTextAsync(input)));
        for (var i = 1; i < written.Length; i++)
        {
            var fields = written[i].Split(',');
            Assert.Equal(lines[i].Split(',')[0], fields[0]);
            Assert.Equal(expected[i - 1], double.Parse(fields[2], CultureInfo.InvariantCulture));
        }

        Assert.True(expected[1500] >= 0.85, $"the spike scored {expected[1500]}");
    }

    [Fact]
    public async Task Nab_refuses_a_file_that_is_not_timestamp_value_with_its_line_and_column_and_writes_nothing()
    {
        var data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(Path.Combine(data, "a"));
        await File.WriteAllTextAsync(Path.Combine(data, "a", "good.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n");
        await File.WriteAllTextAsync(Path.Combine(data, "a", "bad.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,oops\n");
        var output = Path.Combine(_directory, "out");

        var (code, _, errors) = await RunAsync("anomaly", "nab", data, "-o", output);
        var missing = await RunAsync("anomaly", "nab", Path.Combine(_directory, "none"), "-o", output);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.csv: line 3, column 21: the value is not a number", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Equal(ExitCodes.Usage, missing.Code);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "millwright.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
