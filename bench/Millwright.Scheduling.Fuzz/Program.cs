using System.Diagnostics;
using System.Globalization;
using Millwright.Fuzzing;
using Millwright.Scheduling.Parsing;

// Long-run mutation fuzzer for the job-shop instance parser. Usage: dotnet run -c Release --project
// bench/Millwright.Scheduling.Fuzz -- [--cases N] [--seed S] [--out DIR]. Every mutated file must parse or fail with
// InstanceFormatException at a line and column >= 1; anything else is a crash: the input is saved and the exit code is 1.
var cases = 10_000_000L;
var seed = 1;
var output = "fuzz-crashes";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--cases": cases = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "instances"), "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
seeds.Add("2 2\n0 3 1 2\n1 4 0 1\n"u8.ToArray());
var engine = new MutationEngine(seeds, seed, [(0, 1), (1, 1), (2, 1)]);
long parsed = 0, refused = 0, slowestTicks = 0;
var progressEvery = Math.Max(1, cases / 10);
Console.WriteLine($"instance parser fuzz: {cases:N0} cases, seed {seed}, {seeds.Count} seed files, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var total = Stopwatch.StartNew();
for (var n = 0L; n < cases; n++)
{
    var (_, input) = engine.Next();
    var started = Stopwatch.GetTimestamp();
    try
    {
        JobShopFile.Parse(input);
        parsed++;
    }
    catch (InstanceFormatException e) when (e.Line >= 1 && e.Column >= 1)
    {
        refused++;
    }
#pragma warning disable CA1031 // Catching everything is the point: any other exception is the crash we look for.
    catch (Exception e)
#pragma warning restore CA1031
    {
        Directory.CreateDirectory(output);
        var file = Path.Combine(output, $"jobshop-seed{seed}-case{n}.txt");
        await File.WriteAllBytesAsync(file, input);
        Console.Error.WriteLine($"CRASH at case {n:N0}: {e.GetType().Name}: {e.Message}\n  saved to {file}");
        return 1;
    }

    slowestTicks = Math.Max(slowestTicks, Stopwatch.GetTimestamp() - started);
    if ((n + 1) % progressEvery == 0)
    {
        Console.WriteLine($"{n + 1,14:N0} cases  {(n + 1) / total.Elapsed.TotalSeconds,12:N0} cases/s");
    }
}

var slowest = TimeSpan.FromSeconds((double)slowestTicks / Stopwatch.Frequency);
Console.WriteLine($"done: {cases:N0} cases in {total.Elapsed.TotalSeconds:F1} s = {cases / total.Elapsed.TotalSeconds:N0} cases/s; slowest case {slowest.TotalMilliseconds:F3} ms; parsed {parsed:N0}, refused {refused:N0}; no crash");
return 0;
