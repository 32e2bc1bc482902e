using System.Diagnostics;
using System.Globalization;
using Millwright.Modbus;
using Millwright.Modbus.Tests.Fuzzing;

// Long-run mutation fuzzer for the Modbus response parser (and, with --target request, the server's
// request handler). Usage: dotnet run -c Release --project bench/Millwright.Modbus.Fuzz -- [--cases N]
// [--seed S] [--target response|request] [--out DIR]. Exits 1 and saves the input on the first crash.
var cases = 10_000_000L;
var seed = 1;
var target = "response";
var output = "fuzz-crashes";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--cases": cases = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--target": target = args[i + 1]; break;
        case "--out": output = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var responseSeeds = ModbusFuzzTargets.ResponseSeeds();
var engine = target == "request" ? ModbusFuzzTargets.RequestEngine(seed) : ModbusFuzzTargets.ResponseEngine(seed);
var bank = ModbusFuzzTargets.FuzzBank();
var responseBuffer = new byte[ModbusLimits.MaxAduLength];
var outcomes = new long[3];
var slowestTicks = 0L;
var progressEvery = Math.Max(1, cases / 10);
Console.WriteLine($"Modbus {target} fuzz: {cases:N0} cases, seed {seed}, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var total = Stopwatch.StartNew();
for (var n = 0L; n < cases; n++)
{
    var (index, mutated) = engine.Next();
    var input = ModbusFuzzTargets.Framed(mutated, n);
    var started = Stopwatch.GetTimestamp();
    try
    {
        if (target == "request")
        {
            outcomes[ModbusFuzzTargets.HandleRequest(bank, input, responseBuffer) == 0 ? 1 : 0]++;
        }
        else
        {
            outcomes[(int)ModbusFuzzTargets.ParseResponse(responseSeeds[index].Request, input)]++;
        }
    }
#pragma warning disable CA1031 // Catching everything is the point: any other exception is the crash we look for.
    catch (Exception e)
#pragma warning restore CA1031
    {
        Directory.CreateDirectory(output);
        var file = Path.Combine(output, $"{target}-seed{seed}-case{n}.hex");
        await File.WriteAllTextAsync(file, $"{Convert.ToHexString(input)}\nseed index {index}\n{e}\n");
        Console.Error.WriteLine($"CRASH at case {n:N0}: {e.GetType().Name}: {e.Message}\n  input {Convert.ToHexString(input)}\n  saved to {file}");
        return 1;
    }

    slowestTicks = Math.Max(slowestTicks, Stopwatch.GetTimestamp() - started);
    if ((n + 1) % progressEvery == 0)
    {
        Console.WriteLine($"{n + 1,14:N0} cases  {(n + 1) / total.Elapsed.TotalSeconds,12:N0} cases/s");
    }
}

var slowest = TimeSpan.FromSeconds((double)slowestTicks / Stopwatch.Frequency);
var labels = target == "request" ? new[] { "answered", "closed", "-" } : new[] { "parsed", "protocol error", "device exception" };
Console.WriteLine($"done: {cases:N0} cases in {total.Elapsed.TotalSeconds:F1} s = {cases / total.Elapsed.TotalSeconds:N0} cases/s; slowest case {slowest.TotalMilliseconds:F3} ms; no crash");
Console.WriteLine($"outcomes: {labels[0]} {outcomes[0]:N0}, {labels[1]} {outcomes[1]:N0}, {labels[2]} {outcomes[2]:N0}");
return 0;
