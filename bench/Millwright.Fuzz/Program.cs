using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Millwright.Fuzz;
using Millwright.Fuzzing;

// dotnet run -c Release --project bench/Millwright.Fuzz -- <target> [--seconds N] [--cases N] [--seed S] [--threads T] [--out DIR] [--replay FILE]
// The long run of the fuzz targets the tests run briefly (tests/Millwright.Testing/Fuzzing). Exits 0 with no
// finding, 1 on a crash and 2 on a hang (the input saved under --out, replayable with --replay), 64 on bad usage.
var options = FuzzOptions.Parse(args);
var target = options is null ? null : FuzzTargets.Find(options.Target);
if (options is null || target is null)
{
    Console.Error.WriteLine("usage: millwright-fuzz <target> [--seconds 60] [--cases N] [--seed 1] [--threads 1] [--out fuzz-crashes] [--replay FILE]");
    Console.Error.WriteLine("targets:");
    foreach (var t in FuzzTargets.All)
    {
        Console.Error.WriteLine($"  {t.Name,-16} {t.Description}");
    }

    return options is null && args.Length == 0 ? 0 : 64;
}

if (options.Replay is not null)
{
    return FuzzRunner.Replay(target, options.Replay);
}

var limit = (options.Duration, options.Cases) switch
{
    ({ } d, { } c) => $"{d.TotalSeconds:0.#} s or {c:N0} cases",
    ({ } d, null) => $"{d.TotalSeconds:0.#} s",
    (null, { } c) => $"{c:N0} cases",
    _ => "",
};
Console.WriteLine($"{target.Name} fuzz ({target.Description}): {limit}, seed {options.Seed}, {options.Threads} threads, " +
    $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
var stopwatch = Stopwatch.StartNew();
var result = new FuzzRunner(target, options).Run();
var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{result.Cases:N0} cases in {seconds:F1} s = {result.Cases / seconds:N0} cases/s; outcome: {result.Outcome}"));
Console.WriteLine(result.Summary);
return result.ExitCode;
