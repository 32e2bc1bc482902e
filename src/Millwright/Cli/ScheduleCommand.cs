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
    internal static SolverOptions? ReadOptions(string timeLimit, int seed, long? iterations, TextWriter errors)
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

        return new SolverOptions { TimeLimit = limit, Seed = seed, IterationLimit = iterations };
    }

    /// <summary>Reads and parses an instance file; null and a message naming the file, line and column when it is bad.</summary>
    internal static ShopInstance? Load(string path, TextWriter errors)
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
            return JobShopFile.Parse(bytes, Path.GetFileNameWithoutExtension(path));
        }
        catch (InstanceFormatException e)
        {
            errors.WriteLine($"millwright: {path}: {e.Message}");
            return null;
        }
    }

    private static Command Solve()
    {
        var file = new Argument<string>("FILE") { Description = "Instance in the standard job-shop format (docs/scheduling.md)" };
        var timeLimit = new Option<string>("--time-limit") { Description = "How long to search: 500ms, 10s, 2m", DefaultValueFactory = _ => "10s" };
        var seed = new Option<int>("--seed") { Description = "Seed; with --iterations the same seed gives the same schedule", DefaultValueFactory = _ => 1 };
        var iterations = new Option<long?>("--iterations") { Description = "Stop after this many iterations per worker (repeatable runs)" };
        var command = new Command("solve", "Print the makespan, then per job the start time of each operation in the job's order");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { timeLimit, seed, iterations })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) =>
        {
            var options = ReadOptions(result.GetValue(timeLimit)!, result.GetValue(seed), result.GetValue(iterations), Console.Error);
            if (options is null)
            {
                return Task.FromResult(ExitCodes.Usage);
            }

            if (Load(result.GetValue(file)!, Console.Error) is not { } instance)
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

            var output = new StringBuilder();
            output.Append(check.Makespan.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var job in solved.Best.Schedule.Jobs)
            {
                output.AppendJoin(' ', job.Select(o => o.Start.ToString(CultureInfo.InvariantCulture))).Append('\n');
            }

            Console.Out.Write(output.ToString());
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
