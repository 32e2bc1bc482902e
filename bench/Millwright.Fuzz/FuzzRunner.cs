using System.Diagnostics;
using System.Globalization;
using Millwright.Fuzzing;

namespace Millwright.Fuzz;

/// <summary>
/// Runs one target on several threads, each worker with its own deterministic stream (seed × 7919 + worker, so
/// worker 0 of seed S replays what a test with seed S runs). The main thread reports progress and watches for
/// hangs: a worker whose case counter stands still for ten seconds is stuck on the case it last published.
/// </summary>
internal sealed class FuzzRunner(IFuzzTarget target, FuzzOptions options)
{
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    private readonly IFuzzWorker[] _workers = Enumerable.Range(0, options.Threads)
        .Select(w => target.CreateWorker(unchecked((options.Seed * 7919) + w)))
        .ToArray();

    private readonly long[] _done = new long[options.Threads];
    private volatile bool _stop;
    private string? _crash;

    public FuzzResult Run()
    {
        var threads = new Thread[_workers.Length];
        for (var w = 0; w < threads.Length; w++)
        {
            var worker = w;
            var share = options.Cases is { } cases ? cases / threads.Length + (worker < cases % threads.Length ? 1 : 0) : long.MaxValue;
            threads[w] = new Thread(() => Work(worker, share)) { IsBackground = true, Name = $"fuzz-{worker}" };
            threads[w].Start();
        }

        var lastCounts = new long[threads.Length];
        var lastChange = Enumerable.Repeat(Stopwatch.GetTimestamp(), threads.Length).ToArray();
        var stopwatch = Stopwatch.StartNew();
        var nextReport = ReportEvery;
        while (threads.Any(t => t.IsAlive))
        {
            Thread.Sleep(250);
            if (options.Duration is { } duration && stopwatch.Elapsed >= duration)
            {
                _stop = true;
            }

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
                    var file = Save($"hang-seed{options.Seed}-w{w}-case{count}", _workers[w].Current, "no progress for 10 s");
                    Console.WriteLine($"HANG in worker {w} at case {count}; input saved to {file}");
                    return new FuzzResult(lastCounts.Sum(), "hang", Summary(), 2);
                }
            }

            if (stopwatch.Elapsed >= nextReport)
            {
                var total = lastCounts.Sum();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{stopwatch.Elapsed:hh\\:mm\\:ss}  {total,14:N0} cases  {total / stopwatch.Elapsed.TotalSeconds,10:N0} cases/s"));
                nextReport += ReportEvery;
            }
        }

        var done = _done.Sum();
        return _crash is null
            ? new FuzzResult(done, "no crash, no hang", Summary(), 0)
            : new FuzzResult(done, $"crash, input saved to {_crash}", Summary(), 1);
    }

    /// <summary>Runs a case saved by an earlier run (first line hex, second line context) once.</summary>
    public static int Replay(IFuzzTarget target, string file)
    {
        var lines = File.ReadLines(file).Take(2).ToArray();
        var saved = new FuzzCase(Convert.FromHexString(lines[0].Trim()), lines.Length > 1 ? lines[1].Trim() : "");
        try
        {
            target.CreateWorker(0).Replay(saved);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine(e);
            return 1;
        }

        Console.WriteLine("no crash");
        return 0;
    }

    private void Work(int worker, long cases)
    {
        var fuzz = _workers[worker];
        for (long i = 0; i < cases && !_stop; i++)
        {
            try
            {
                fuzz.RunOne();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _stop = true;
                _crash = Save($"crash-seed{options.Seed}-w{worker}-case{i}", fuzz.Current, e.ToString());
                Console.WriteLine($"CRASH in worker {worker} at case {i}: {e.GetType().Name}: {e.Message}");
                return;
            }

            Volatile.Write(ref _done[worker], i + 1);
        }
    }

    private string Save(string name, FuzzCase current, string why)
    {
        Directory.CreateDirectory(options.OutDirectory);
        var file = Path.Combine(options.OutDirectory, $"{target.Name}-{name}.hex");
        File.WriteAllText(file, Convert.ToHexString(current.Input) + "\n" + current.Context + "\n\n" + why + "\n");
        return file;
    }

    // Each worker's summary: counters are per worker, so there is nothing to lock.
    private string Summary() => string.Join("\n", _workers.Select((w, i) => $"worker {i}: {w.Summary()}"));
}
