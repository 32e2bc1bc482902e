using Millwright.Cli;
using Millwright.Scheduling.Checking;
using static Millwright.Tests.Cli.ScheduleCommandTests;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright schedule solve/bench</c> on flexible job-shop files, run as the real program.</summary>
public sealed class ScheduleFlexibleCommandTests : IDisposable
{
    // Kacem 4x5 (Kacem, Hammadi and Borne 2002; optimum 11), as in ../shared/benchmarks/fjsp.
    private const string Kacem1 = """
        4 5 5
        3  5 1 2 2 5 3 4 4 1 5 2  5 1 5 2 4 3 5 4 7 5 5  5 1 4 2 5 3 5 4 4 5 5
        3  5 1 2 2 5 3 4 4 7 5 8  5 1 5 2 6 3 9 4 8 5 5  5 1 4 2 5 3 4 4 54 5 5
        4  5 1 9 2 8 3 6 4 7 5 9  5 1 6 2 1 3 2 4 5 5 4  5 1 2 2 5 3 4 4 2 5 4  5 1 4 2 5 3 2 4 1 5 5
        2  5 1 1 2 5 3 2 4 4 5 12  5 1 5 2 1 3 2 4 1 5 2


        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mw-fjsp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Solve_prints_the_makespan_then_machine_colon_start_per_operation_and_the_printed_solution_checks()
    {
        var file = await WriteAsync("kacem1.txt", Kacem1);

        var (code, output, errors) = await RunAsync("schedule", "solve", file, "--time-limit", "20s", "--iterations", "20000");

        Assert.True(code == ExitCodes.Ok, errors);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^\d+$", lines[0]);
        Assert.All(lines[1..], l => Assert.Matches(@"^[1-5]:\d+( [1-5]:\d+)*$", l));
        Assert.Equal([3, 3, 4, 2], lines[1..].Select(l => l.Split(' ').Length));
        var check = FlexibleSolutionChecker.Check(Kacem1, output);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.InRange(check.Makespan, 11, 14);
    }

    [Fact]
    public async Task A_file_that_reads_both_ways_needs_format_and_a_bad_format_is_a_usage_error()
    {
        var file = await WriteAsync("both.txt", "1 3\n1 2 1 1 2 2\n");

        var unsaid = await RunAsync("schedule", "solve", file, "--time-limit", "1s");
        var flexible = await RunAsync("schedule", "solve", file, "--format", "fjsp", "--time-limit", "1s");
        var classic = await RunAsync("schedule", "solve", file, "--format", "jsp", "--time-limit", "1s");
        var unknown = await RunAsync("schedule", "solve", file, "--format", "xml");

        Assert.Equal(ExitCodes.InvalidInput, unsaid.Code);
        Assert.Contains("reads both as a classic (jsp) and as a flexible (fjsp) job shop; say which with --format", unsaid.Errors, StringComparison.Ordinal);
        Assert.Equal("1\n1:0\n", flexible.Output);
        Assert.Equal("5\n0 2 3\n", classic.Output);
        Assert.Equal(ExitCodes.Usage, unknown.Code);
        Assert.Contains("--format must be jsp or fjsp", unknown.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2 2 1\n1 0\n1 1 2 5\n", "line 2, column 3: operation 1 of 1: no machine can run it")]
    [InlineData("2 2 1\n1 1 3 4\n1 1 2 5\n", "line 2, column 5: operation 1 of 1: machine 3 is out of range")]
    [InlineData("2 2 1\n1 1 1 -4\n1 1 2 5\n", "line 2, column 7: operation 1 of 1: negative time -4")]
    [InlineData("2 2 1\n1 1 1 4\n2 1 2 5 1\n", "line 3, column 10: the line ends early")]
    [InlineData("2 2\n1 1 2 4\n1 1 2 x\n", "line 3, column 7: unexpected character 'x' (U+0078) (the file fits neither format; read as flexible (fjsp)")]
    public async Task Bad_flexible_input_is_refused_with_line_and_column(string text, string message)
    {
        var file = await WriteAsync("bad.txt", text);

        var (code, output, errors) = await RunAsync("schedule", "solve", file, "--time-limit", "1s");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("", output);
        Assert.Contains($"bad.txt: {message}", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_solves_flexible_files_and_checks_them_against_the_file()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "instances"));
        await WriteAsync(Path.Combine("instances", "kacem1.txt"), Kacem1);
        await WriteAsync("bks.json", """[{"instance": "kacem1", "lower_bound": 11, "upper_bound": 11, "status": "closed"}]""");

        var (code, output, errors) = await RunAsync("schedule", "bench", _directory, "--time-limit", "20s", "--iterations", "20000");

        Assert.True(code == ExitCodes.Ok, errors + output);
        Assert.Matches(@"kacem1 +4x5 +1[1-4] +11 +11 ", output);
        Assert.Matches(@"kacem +1 ", output);
        Assert.Contains("0 errors", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_with_a_time_limit_alone_proves_a_small_flexible_instance_optimal_and_says_which_bound()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "instances"));
        await WriteAsync(Path.Combine("instances", "kacem1.txt"), Kacem1);
        await WriteAsync("bks.json", """[{"instance": "kacem1", "lower_bound": 11, "upper_bound": 11, "status": "closed"}]""");

        // Without --iterations CP-SAT takes part: its proof ends the run long before the limit.
        var (code, output, errors) = await RunAsync("schedule", "bench", _directory, "--time-limit", "20s");

        Assert.True(code == ExitCodes.Ok, errors + output);
        Assert.Matches(@"kacem1 +4x5 +11 +11 +11 +0\.00% .* 11  (cp-sat|simple) +optimal", output);
        Assert.Contains("0 errors", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_without_cp_sat_searches_alone_and_proves_nothing_with_it()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "instances"));
        await WriteAsync(Path.Combine("instances", "kacem1.txt"), Kacem1);
        await WriteAsync("bks.json", """[{"instance": "kacem1", "lower_bound": 11, "upper_bound": 11, "status": "closed"}]""");

        var (code, output, errors) = await RunAsync("schedule", "bench", _directory, "--time-limit", "1s", "--no-cp-sat");

        Assert.True(code == ExitCodes.Ok, errors + output);
        Assert.Contains("CP-SAT off", output, StringComparison.Ordinal);
        Assert.Matches(@"kacem1 +4x5 +1[1-4] +11 +11 .*  simple ", output);
        Assert.DoesNotContain("cp-sat", output, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
