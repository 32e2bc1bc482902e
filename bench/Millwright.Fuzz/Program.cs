using System.Diagnostics;
using System.Globalization;
using Millwright.Fuzz;

// millwright-fuzz [--cases N] [--seed S] [--threads T] [--out DIR] [--replay FILE]
// Runs the MQTT decoder mutation fuzzer; exits 1 on a crash and 2 on a hang, saving the input under --out.
var options = FuzzOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: millwright-fuzz [--cases 10000000] [--seed 1] [--threads N] [--out fuzz-crashes] [--replay FILE]");
    return 64;
}

if (options.Replay is not null)
{
    return FuzzRunner.Replay(options.Replay);
}

Console.WriteLine($"MQTT decoder fuzz: {options.Cases:N0} cases, seed {options.Seed}, {options.Threads} threads, " +
    $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
var stopwatch = Stopwatch.StartNew();
var result = new FuzzRunner(options).Run();
stopwatch.Stop();
var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{result.Cases:N0} cases in {seconds:F1} s = {result.Cases / seconds:N0} cases/s; outcome: {result.Outcome}"));
Console.WriteLine(result.Summary);
return result.ExitCode;
