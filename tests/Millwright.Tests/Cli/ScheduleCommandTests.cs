using System.Diagnostics;
using Millwright.Cli;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright schedule solve</c> run as the real program on ft06 (Fisher and Thompson, optimum 55).</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private const string Ft06 = """
        # Fisher and Thompson 6x6 instance, alternate name (mt06)
        6 6
        2  1  0  3  1  6  3  7  5  3  4  6
        1  8  2  5  4 10  5 10  0 10  3  4
        2  5  3  4  5  8  0  9  1  1  4  7
        1  5  0  5  2  5  3  3  4  8  5  9
        2  9  1  3  4  5  5  4  0  3  3  1
        1  3  3  3  5  9  0 10  4  4  2  1
        """;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-schedule-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Solve_prints_the_makespan_then_each_jobs_start_times_and_the_schedule_checks()
    {
        var file = Path.Combine(_directory, "ft06.txt");
        await File.WriteAllTextAsync(file, Ft06);

        var (code, output, errors) = await RunAsync("schedule", "solve", file, "--time-limit", "20s", "--iterations", "20000", "--seed", "4");

        Assert.True(code == ExitCodes.Ok, errors);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("55", lines[0]);
        Assert.Equal(7, lines.Length);
        var instance = JobShopFile.Parse(Ft06);
        var starts = lines[1..].Select(l => l.Split(' ').Select(int.Parse).ToArray()).ToArray();
        Assert.All(starts, s => Assert.Equal(6, s.Length));
        var schedule = new Schedule([.. starts.Select((s, j) => (IReadOnlyList<ScheduledOperation>)[.. s.Select((t, k) => new ScheduledOperation(instance.Jobs[j].Operations[k].Options[0].Machine, t))])]);
        var check = ScheduleChecker.Check(instance, schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(55, check.Makespan);
    }

    [Fact]
    public async Task A_malformed_file_is_refused_with_its_line_and_column()
    {
        var file = Path.Combine(_directory, "bad.txt");
        await File.WriteAllTextAsync(file, "2 2\n0 3 1 2\n1 4 0 x\n");

        var (code, output, errors) = await RunAsync("schedule", "solve", file, "--time-limit", "1s");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("", output);
        Assert.Contains("bad.txt: line 3, column 7: unexpected character 'x'", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_and_a_bad_time_limit_are_refused()
    {
        var missing = await RunAsync("schedule", "solve", Path.Combine(_directory, "none.txt"));
        var badLimit = await RunAsync("schedule", "solve", Path.Combine(_directory, "none.txt"), "--time-limit", "soon");

        Assert.Equal(ExitCodes.InvalidInput, missing.Code);
        Assert.Contains("cannot read", missing.Errors, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badLimit.Code);
        Assert.Contains("--time-limit", badLimit.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_reports_gap_and_family_mean_and_flags_a_makespan_below_the_lower_bound()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "instances"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "instances", "ft06.txt"), Ft06);
        await File.WriteAllTextAsync(Path.Combine(_directory, "instances", "xx01.txt"), Ft06);
        // xx01 is ft06 under another name with a wrong lower bound: a makespan of 55 beating it must be an error.
        await File.WriteAllTextAsync(Path.Combine(_directory, "bks.json"), """
            [{"instance": "ft06", "lower_bound": 55, "upper_bound": 55, "status": "closed"},
             {"instance": "xx01", "lower_bound": 60, "upper_bound": 60, "status": "closed"}]
            """);

        var good = await RunAsync("schedule", "bench", _directory, "--time-limit", "20s", "--iterations", "20000", "--filter", "ft");
        var bad = await RunAsync("schedule", "bench", _directory, "--time-limit", "20s", "--iterations", "20000");

        Assert.True(good.Code == ExitCodes.Ok, good.Errors);
        Assert.Matches(@"ft06 +6x6 +55 +55 +55 +0\.00%", good.Output);
        Assert.Matches(@"ft +1 +0\.00% +0\.00%", good.Output);
        Assert.Contains("[", good.Errors, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.CheckFailed, bad.Code);
        Assert.Contains("ERROR makespan below the lower bound 60", bad.Output, StringComparison.Ordinal);
    }

    internal static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
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
