using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright bench &lt;name&gt; ...</c>: the one entry point of the whole-system benchmarks. Their load generators
/// live in bench/Millwright.Load, outside the product (it references the product, never the other way round), so
/// this verb runs that project's built program and hands it every argument after "bench", --help included.
/// </summary>
internal static class BenchLauncher
{
    public const string Verb = "bench";

    /// <summary>Names the load program (its Millwright.Load.dll) where it is not found beside a source tree.</summary>
    public const string ProgramVariable = "MILLWRIGHT_BENCH";

    private const string ProgramFile = "Millwright.Load.dll";

    /// <summary>Listed in <c>millwright --help</c>; Program sends <c>bench ...</c> to <see cref="RunAsync"/> before parsing.</summary>
    public static Command Create() => new(Verb, "Benchmarks (runs bench/Millwright.Load: mqtt, ingest, storage, production, c2m-knn; `millwright bench --help` lists them)");

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        if (Locate() is not { } program)
        {
            await Console.Error.WriteLineAsync(
                $"millwright: the benchmarks are not built. In the source tree run `dotnet build -c Release bench/Millwright.Load`, " +
                $"or set {ProgramVariable} to the path of its {ProgramFile}.");
            return ExitCodes.BenchNotBuilt;
        }

        var start = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        // Ctrl+C reaches the child from the terminal too; this process waits for it to print its figures and end
        // rather than exit under it. A termination sent to this process alone ends the child as well.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            KillQuietly(child);
        });
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>The variable's path, else the program built beside this one in a source tree (same configuration first).</summary>
    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } named)
        {
            var path = Directory.Exists(named) ? Path.Combine(named, ProgramFile) : named;
            return File.Exists(path) ? Path.GetFullPath(path) : null;
        }

        // This program runs from src/Millwright/bin/<configuration>/<framework>/ when built from source.
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent?.Name;
        string[] configurations = configuration is null ? ["Release", "Debug"] : [configuration, "Release", "Debug"];
        for (var directory = here; directory is not null; directory = directory.Parent)
        {
            var project = Path.Combine(directory.FullName, "bench", "Millwright.Load", "bin");
            if (!Directory.Exists(project))
            {
                continue;
            }

            foreach (var candidate in configurations.Distinct().Select(c => Path.Combine(project, c, framework, ProgramFile)))
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The dotnet host running this program (<c>dotnet millwright.dll</c>), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static void KillQuietly(Process child)
    {
        try
        {
            child.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }
}
