using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright schedule bench DIR</c>: solves DIR/instances/*.txt (classic or flexible, recognized per file) one
/// after the other, verifies every schedule with the independent checkers, and prints makespan, gap to DIR/bks.json's upper bound and time to best per instance,
/// then the mean gap per family. A progress bar runs on stderr so that stdout stays a clean report.
/// </summary>
internal static class ScheduleBench
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Directory with instances/*.txt and bks.json (../shared/benchmarks/jobshop)" };
        var timeLimit = new Option<string>("--time-limit") { Description = "Search time per instance: 5s, 30s", DefaultValueFactory = _ => "30s" };
        var filter = new Option<string?>("--filter") { Description = "Only instances whose name starts with one of these comma-separated prefixes (la, ta01)" };
        var seed = new Option<int>("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => 1 };
        var iterations = new Option<long?>("--iterations") { Description = "Also stop each run after this many iterations per worker (load-independent comparisons)" };
        var noCpSat = ScheduleCommand.NoCpSatOption();
        var classicPolish = ScheduleCommand.ClassicPolishOption();
        var command = new Command("bench", "Solve every instance of a benchmark directory and report gaps to the best known bounds");
        command.Arguments.Add(dir);
        foreach (var option in new Option[] { timeLimit, filter, seed, iterations, noCpSat, classicPolish })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var options = ScheduleCommand.ReadOptions(result.GetValue(timeLimit)!, result.GetValue(seed), result.GetValue(iterations), result.GetValue(noCpSat), result.GetValue(classicPolish), Console.Error);
            return options is null ? ExitCodes.Usage : await RunAsync(result.GetValue(dir)!, result.GetValue(filter), options, Console.Out, Console.Error, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(string dir, string? filter, SolverOptions options, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var bounds = ReadBounds(Path.Combine(dir, "bks.json"), errors);
        var folder = Path.Combine(dir, "instances");
        if (bounds is null)
        {
            return ExitCodes.InvalidInput;
        }

        if (!Directory.Exists(folder))
        {
            await errors.WriteLineAsync($"millwright: {folder} does not exist");
            return ExitCodes.InvalidInput;
        }

        var prefixes = (filter ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal)
            .Where(f => prefixes.Length == 0 || prefixes.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
        if (files.Count == 0)
        {
            await errors.WriteLineAsync($"millwright: no instance in {folder} matches --filter {filter}");
            return ExitCodes.InvalidInput;
        }

        await output.WriteLineAsync($"schedule bench: {files.Count} instances, {options.TimeLimit!.Value.TotalSeconds:0.#} s each{(options.IterationLimit is { } cap ? $" or {cap} iterations per worker" : "")}{(options.UseCpSat ? "" : ", CP-SAT off")}{(options.ClassicPolish ? ", CP-SAT polish on classic" : "")}, seed {options.Seed}, " +
            $"{options.Workers} workers on {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        // upper/lower: bks.json's published bounds; bound: this run's own proven lower bound and what proves it.
        await output.WriteLineAsync("instance  size      makespan  upper  lower      gap  best at(s)  iterations   bound  bound by  proof");
        var gaps = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        var failures = 0;
        using var progress = new ProgressBar(errors, files.Count, options.TimeLimit.Value);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileNameWithoutExtension(file);
            progress.Begin(name);
            var loaded = ScheduleCommand.Load(file, null, errors);
            if (loaded is not var (instance, format, text) || !bounds.TryGetValue(name, out var bound))
            {
                progress.Clear();
                await output.WriteLineAsync($"{name,-9} ERROR {(loaded is null ? "unreadable instance" : "no entry in bks.json")}");
                failures++;
                continue;
            }

            var solved = SchedulingSolver.Solve(instance, options, ct);
            var check = Check(instance, format, text, solved.Best);
            var gap = 100.0 * (check.Makespan - bound.Upper) / bound.Upper;
            var size = $"{instance.Jobs.Count}x{instance.MachineCount}";
            var problem = !check.IsValid ? $"checker: {string.Join("; ", check.Violations.Take(3))}"
                : check.Makespan != solved.Best.Makespan ? $"solver says {solved.Best.Makespan}, checker {check.Makespan}"
                : check.Makespan < bound.Lower ? $"makespan below the lower bound {bound.Lower}"
                : solved.LowerBound > bound.Upper ? $"proven bound {solved.LowerBound} above the best known makespan {bound.Upper}" : null;
            progress.Clear();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name,-9} {size,-8} {check.Makespan,9} {bound.Upper,6} {bound.Lower,6} {gap,7:0.00}% {solved.Best.FoundAfter.TotalSeconds,10:0.00} {solved.Iterations,11} {solved.LowerBound,7}  {BoundName(solved.BoundSource),-8}  {(check.Makespan <= solved.LowerBound ? "optimal" : "-")}{(problem is null ? "" : "  ERROR " + problem)}"));
            if (problem is not null)
            {
                failures++;
                continue;
            }

            var family = new string(name.TakeWhile(char.IsLetter).ToArray());
            (gaps.TryGetValue(family, out var list) ? list : gaps[family] = []).Add(gap);
        }

        progress.Clear();
        await output.WriteLineAsync("family  instances  mean gap   max gap");
        foreach (var (family, list) in gaps)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{family,-7} {list.Count,9} {list.Average(),8:0.00}% {list.Max(),8:0.00}%"));
        }

        await output.WriteLineAsync($"load average at the end {LoadAverage()}; {failures} errors");
        return failures == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    /// <summary>
    /// The model checker, and for a flexible file also the checker of the printed solution against the file's text
    /// (sharing no code with the parser), so that a parsing mistake cannot hide behind a consistent model.
    /// </summary>
    private static CheckResult Check(ShopInstance instance, InstanceFormat format, string text, SolverSnapshot best)
    {
        var check = ScheduleChecker.Check(instance, best.Schedule);
        if (format != InstanceFormat.Fjsp || !check.IsValid)
        {
            return check;
        }

        var printed = FlexibleSolutionChecker.Check(text, SolutionText.Write(best.Schedule, best.Makespan, format));
        return printed.IsValid && printed.Makespan == check.Makespan ? check
            : new CheckResult([.. printed.Violations.Select(v => "printed solution: " + v), $"model makespan {check.Makespan}, printed {printed.Makespan}"], check.Makespan, 0);
    }

    private static string BoundName(BoundSource source) => source == BoundSource.CpSat ? "cp-sat" : "simple";

    private static Dictionary<string, (long Lower, long Upper)>? ReadBounds(string path, TextWriter errors)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var bounds = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                bounds[entry.GetProperty("instance").GetString()!] = (entry.GetProperty("lower_bound").GetInt64(), entry.GetProperty("upper_bound").GetInt64());
            }

            return bounds;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentNullException)
        {
            errors.WriteLine($"millwright: cannot read the bounds in {path}: {e.Message}");
            return null;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
