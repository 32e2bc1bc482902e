using System.CommandLine;
using System.Globalization;
using System.Text;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Cli;

/// <summary><c>millwright schedule</c>: solve a job-shop instance file, or benchmark the solver on a directory of them.</summary>
internal static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Job-shop scheduling: solve an instance file or benchmark the solver");
        command.Subcommands.Add(Solve());
        command.Subcommands.Add(ScheduleBench.Create());
        return command;
    }

    /// <summary>Options shared by solve and bench; null and a message on stderr when they are out of range.</summary>
    internal static SolverOptions? ReadOptions(string timeLimit, int seed, long? iterations, bool noCpSat, bool classicPolish, TextWriter errors)
    {
        if (SimulateCommand.ParseInterval(timeLimit) is not { } limit)
        {
            errors.WriteLine("millwright: --time-limit must be like 500ms, 10s or 2m (10ms to 1h)");
            return null;
        }

        if (iterations is < 1)
        {
            errors.WriteLine("millwright: --iterations must be positive");
            return null;
        }

        if (classicPolish && noCpSat)
        {
            errors.WriteLine("millwright: --cp-sat-polish and --no-cp-sat cannot be given together");
            return null;
        }

        return new SolverOptions { TimeLimit = limit, Seed = seed, IterationLimit = iterations, UseCpSat = !noCpSat, ClassicPolish = classicPolish };
    }

    /// <summary>Reads and parses an instance file; null and a message naming the file, line and column when it is bad.</summary>
    internal static (ShopInstance Instance, InstanceFormat Format, string Text)? Load(string path, InstanceFormat? format, TextWriter errors)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.WriteLine($"millwright: cannot read {path}: {e.Message}");
            return null;
        }

        try
        {
            var (instance, read) = InstanceFile.Parse(bytes, Path.GetFileNameWithoutExtension(path), format);
            return (instance, read, System.Text.Encoding.UTF8.GetString(bytes));
        }
        catch (InstanceFormatException e)
        {
            errors.WriteLine($"millwright: {path}: {e.Message}");
            return null;
        }
    }

    /// <summary>CP-SAT takes part only in time-limited flexible makespan runs; this turns it off there (the tabu search alone, for comparisons).</summary>
    internal static Option<bool> NoCpSatOption() =>
        new("--no-cp-sat") { Description = "Flexible instances: search with the tabu search alone, without CP-SAT's bound, proof and polishing" };

    /// <summary>Opt-in CP-SAT polishing of the classic tabu search (time-limited runs only), to measure it beside the default.</summary>
    internal static Option<bool> ClassicPolishOption() =>
        new("--cp-sat-polish") { Description = "Classic instances: polish the tabu search's best with CP-SAT now and then (time-limited runs; off by default)" };

    internal static Option<string?> FormatOption() =>
        new("--format") { Description = "jsp (classic) or fjsp (flexible); without it the format is recognized (docs/scheduling.md)" };

    /// <summary>The --format value: Format null means recognize it; null and a message when the value is unknown.</summary>
    internal static (InstanceFormat? Format, bool Ok)? ReadFormat(string? value, TextWriter errors)
    {
        switch (value?.ToLowerInvariant())
        {
            case null:
                return (null, true);
            case "jsp":
                return (InstanceFormat.Jsp, true);
            case "fjsp":
                return (InstanceFormat.Fjsp, true);
            default:
                errors.WriteLine($"millwright: --format must be jsp or fjsp, not {value}");
                return null;
        }
    }

    private static Command Solve()
    {
        var file = new Argument<string>("FILE") { Description = "Instance in the classic or flexible job-shop format (docs/scheduling.md)" };
        var format = FormatOption();
        var timeLimit = new Option<string>("--time-limit") { Description = "How long to search: 500ms, 10s, 2m", DefaultValueFactory = _ => "10s" };
        var seed = new Option<int>("--seed") { Description = "Seed; with --iterations the same seed gives the same schedule", DefaultValueFactory = _ => 1 };
        var iterations = new Option<long?>("--iterations") { Description = "Stop after this many iterations per worker (repeatable runs)" };
        var noCpSat = NoCpSatOption();
        var classicPolish = ClassicPolishOption();
        var command = new Command("solve", "Print the makespan, then per job each operation's start (jsp) or machine:start (fjsp) in the job's order");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { format, timeLimit, seed, iterations, noCpSat, classicPolish })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) =>
        {
            var options = ReadOptions(result.GetValue(timeLimit)!, result.GetValue(seed), result.GetValue(iterations), result.GetValue(noCpSat), result.GetValue(classicPolish), Console.Error);
            if (options is null)
            {
                return Task.FromResult(ExitCodes.Usage);
            }

            if (ReadFormat(result.GetValue(format), Console.Error) is not { } chosen)
            {
                return Task.FromResult(ExitCodes.Usage);
            }

            if (Load(result.GetValue(file)!, chosen.Format, Console.Error) is not var (instance, read, _))
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var solved = SchedulingSolver.Solve(instance, options, ct);
            var check = ScheduleChecker.Check(instance, solved.Best.Schedule);
            if (!check.IsValid || check.Makespan != solved.Best.Makespan)
            {
                Console.Error.WriteLine($"millwright: the solver's schedule failed the checker: {string.Join("; ", check.Violations)}");
                return Task.FromResult(ExitCodes.CheckFailed);
            }

            Console.Out.Write(SolutionText.Write(solved.Best.Schedule, check.Makespan, read));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
