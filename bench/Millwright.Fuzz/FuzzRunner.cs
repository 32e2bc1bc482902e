using System.Diagnostics;
using System.Globalization;
using Millwright.Mqtt.Tests.Fuzzing;

namespace Millwright.Fuzz;

/// <summary>
/// Runs the mutation fuzzer on several threads, each with its own deterministic stream (seed, worker).
/// The main thread reports progress and watches for hangs: a worker whose case counter stands still for
/// ten seconds is stuck on the input it last published.
/// </summary>
internal sealed class FuzzRunner(FuzzOptions options)
{
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(10);

    private readonly long[] _done = new long[options.Threads];
    private readonly byte[][] _current = Enumerable.Range(0, options.Threads).Select(_ => new byte[16_384]).ToArray();
    private readonly int[] _currentLength = new int[options.Threads];
    private readonly FuzzStats[] _stats = Enumerable.Range(0, options.Threads).Select(_ => new FuzzStats()).ToArray();
    private volatile bool _stop;
    private string? _crash;

    public FuzzResult Run()
    {
        var seeds = FuzzSeeds.Build();
        var threads = new Thread[options.Threads];
        for (var w = 0; w < threads.Length; w++)
        {
            var worker = w;
            var share = options.Cases / threads.Length + (worker < options.Cases % threads.Length ? 1 : 0);
            threads[w] = new Thread(() => Work(worker, share, seeds)) { IsBackground = true, Name = $"fuzz-{worker}" };
            threads[w].Start();
        }

        var lastCounts = new long[threads.Length];
        var lastChange = Enumerable.Repeat(Stopwatch.GetTimestamp(), threads.Length).ToArray();
        var stopwatch = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(5);
        while (threads.Any(t => t.IsAlive))
        {
            Thread.Sleep(250);
            for (var w = 0; w < threads.Length; w++)
            {
                var count = Volatile.Read(ref _done[w]);
                if (count != lastCounts[w] || !threads[w].IsAlive)
                {
                    lastCounts[w] = count;
                    lastChange[w] = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(lastChange[w]) > HangAfter)
                {
                    var file = Save($"hang-{options.Seed}-{w}-{count}", _current[w].AsSpan(0, _currentLength[w]), "no progress for 10 s");
                    Console.WriteLine($"HANG in worker {w} at case {count}; input saved to {file}");
                    return new FuzzResult(lastCounts.Sum(), "hang", Merge().Summary(), 2);
                }
            }

            if (stopwatch.Elapsed >= nextReport)
            {
                var total = lastCounts.Sum();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{stopwatch.Elapsed:hh\\:mm\\:ss}  {total,12:N0} cases  {total / stopwatch.Elapsed.TotalSeconds,10:N0} cases/s  {100.0 * total / options.Cases,5:F1} %"));
                nextReport += TimeSpan.FromSeconds(5);
            }
        }

        var cases = _done.Sum();
        return _crash is null
            ? new FuzzResult(cases, "no crash, no hang", Merge().Summary(), 0)
            : new FuzzResult(cases, $"crash, input saved to {_crash}", Merge().Summary(), 1);
    }

    public static int Replay(string file)
    {
        var input = Wire.Hex(File.ReadLines(file).First());
        for (var variant = 0; variant < 3; variant++)
        {
            try
            {
                MqttFuzzTarget.Run(input, new FuzzStats(), variant);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.WriteLine($"variant {variant}: {e}");
                return 1;
            }
        }

        Console.WriteLine("no crash");
        return 0;
    }

    private void Work(int worker, long cases, byte[][] seeds)
    {
        var fuzzer = new MutationFuzzer(seeds, unchecked((options.Seed * 7919) + worker));
        var stats = _stats[worker];
        for (long i = 0; i < cases && !_stop; i++)
        {
            var input = fuzzer.Next();

            // Published before running, so a hang can be saved from the watchdog.
            input.CopyTo(_current[worker]);
            _currentLength[worker] = input.Length;
            try
            {
                MqttFuzzTarget.Run(input, stats, (int)(i & int.MaxValue));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _stop = true;
                _crash = Save($"crash-{options.Seed}-{worker}-{i}", input, e.ToString());
                Console.WriteLine($"CRASH in worker {worker} at case {i}: {e.GetType().Name}: {e.Message}");
                return;
            }

            Volatile.Write(ref _done[worker], i + 1);
        }
    }

    private string Save(string name, ReadOnlySpan<byte> input, string why)
    {
        Directory.CreateDirectory(options.OutDirectory);
        var file = Path.Combine(options.OutDirectory, name + ".hex");
        File.WriteAllText(file, Wire.ToHex(input) + Environment.NewLine + why + Environment.NewLine);
        return file;
    }

    private FuzzStats Merge()
    {
        var all = new FuzzStats();
        foreach (var s in _stats)
        {
            all.Cases += s.Cases;
            all.Packets += s.Packets;
            all.NeedMore += s.NeedMore;
            all.Rejected += s.Rejected;
            for (var i = 0; i < 256; i++)
            {
                all.ByReason[i] += s.ByReason[i];
            }

            for (var i = 0; i < 16; i++)
            {
                all.ByPacketType[i] += s.ByPacketType[i];
            }
        }

        return all;
    }
}
