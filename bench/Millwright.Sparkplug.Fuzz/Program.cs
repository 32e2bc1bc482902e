using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Millwright.Sparkplug.Fuzz;

// Usage: dotnet run -c Release --project bench/Millwright.Sparkplug.Fuzz -- [cases] [seed] [crash-dir]
// Runs mutated Sparkplug B payloads through the decoder and the host session state. Exit 0: no finding;
// 1: an exception other than SparkplugProtocolException (input saved); 2: a case ran longer than 10 s (saved).
var cases = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000L;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20261122;
var crashDir = args.Length > 2 ? args[2] : "fuzz-crashes";

Console.WriteLine($"Sparkplug B fuzz: {cases:N0} cases, seed {seed}, {Environment.ProcessorCount} cores, " +
    $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");

var target = new SparkplugFuzzTarget(seed);
var stopwatch = Stopwatch.StartNew();
long finished = 0;

// Watchdog: a case that does not finish in 10 s is a hang. Save it and stop the process.
var watchdog = new Thread(() =>
{
    var last = -1L;
    while (true)
    {
        Thread.Sleep(TimeSpan.FromSeconds(10));
        var now = Interlocked.Read(ref finished);
        if (now == last)
        {
            Save("hang", target.CurrentTopic.ToString(), target.CurrentInput, "no progress for 10 s");
            Environment.Exit(2);
        }

        last = now;
    }
}) { IsBackground = true };
watchdog.Start();

var lastReport = stopwatch.Elapsed;
for (long i = 0; i < cases; i++)
{
    try
    {
        target.RunOne();
    }
    catch (Exception e)
    {
        Save("crash", target.CurrentTopic.ToString(), target.CurrentInput, e.ToString());
        Console.WriteLine($"FINDING at case {i:N0}: {e.GetType().Name}: {e.Message}");
        return 1;
    }

    Interlocked.Increment(ref finished);
    if (stopwatch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
    {
        lastReport = stopwatch.Elapsed;
        Report();
    }
}

Report();
Console.WriteLine($"done: {target.Cases:N0} cases in {stopwatch.Elapsed.TotalSeconds:F1} s, no finding");
return 0;

void Report() => Console.WriteLine(
    $"{target.Cases,14:N0} cases  {target.Cases / stopwatch.Elapsed.TotalSeconds,10:N0} cases/s  " +
    $"decoded {target.Decoded:N0}  refused {target.Rejected:N0}  {GC.GetTotalMemory(false) / 1048576} MB");

void Save(string kind, string topic, byte[] input, string what)
{
    Directory.CreateDirectory(crashDir);
    var stem = Path.Combine(crashDir, $"{kind}-{DateTime.UtcNow:yyyyMMddHHmmss}");
    File.WriteAllBytes(stem + ".bin", input);
    File.WriteAllText(stem + ".txt", $"topic: {topic}\nhex: {Convert.ToHexString(input)}\n\n{what}\n");
    Console.WriteLine($"saved {stem}.bin and .txt");
}
