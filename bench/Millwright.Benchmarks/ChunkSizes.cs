using System.Diagnostics;
using System.Globalization;
using Millwright.Storage.TimeSeries;

namespace Millwright.Benchmarks;

/// <summary>
/// `chunk-sizes`: bytes per point of one hour of each telemetry series, with steady and with jittered timestamps,
/// and the best of 200 encodes and decodes of the jittered chunk after a second of warm-up (a best-of time holds up on a shared machine
/// where BenchmarkDotNet's means also measure the neighbours).
/// </summary>
internal static class ChunkSizes
{
    private const int Runs = 200;

    public static void Print()
    {
        var steady = Enumerable.Range(0, TelemetrySeries.Points).Select(i => 1_763_790_000_000L + (i * 1000L)).ToArray();
        var jittered = TelemetrySeries.Timestamps(1);
        Console.WriteLine("| series | encoding | bytes/point, steady 1 s | bytes/point, ±3 ms jitter | encode ns/point, best | decode ns/point, best |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        List<long> times = new(TelemetrySeries.Points);
        List<double> numbers = new(TelemetrySeries.Points);
        List<string> texts = new(TelemetrySeries.Points);
        foreach (var name in TelemetrySeries.NumberNames)
        {
            var values = TelemetrySeries.Numbers(name, 2);
            var chunk = TimeSeriesChunk.Encode(jittered, values);
            Row(
                name,
                TimeSeriesChunk.Encode(steady, values),
                chunk,
                Best(() => TimeSeriesChunk.Encode(jittered, values)),
                Best(() =>
                {
                    times.Clear();
                    numbers.Clear();
                    TimeSeriesChunk.Decode(chunk, times, numbers);
                }));
        }

        var program = TelemetrySeries.Program();
        var text = TimeSeriesChunk.EncodeText(jittered, program);
        Row(
            "program",
            TimeSeriesChunk.EncodeText(steady, program),
            text,
            Best(() => TimeSeriesChunk.EncodeText(jittered, program)),
            Best(() =>
            {
                times.Clear();
                texts.Clear();
                TimeSeriesChunk.DecodeText(text, times, texts);
            }));
    }

    private static double Best(Action action)
    {
        // Tiered JIT: the first calls run code that is still being compiled (on a busy machine, for a while).
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed < TimeSpan.FromSeconds(1))
        {
            action();
        }

        var best = long.MaxValue;
        for (var run = 0; run < Runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetTimestamp() - started);
        }

        return best * 1e9 / Stopwatch.Frequency / TelemetrySeries.Points;
    }

    private static void Row(string name, byte[] steady, byte[] jittered, double encode, double decode)
    {
        var encoding = steady[1] switch { 1 => "xor", 2 => "decimal", _ => "text" };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {encoding} | {(double)steady.Length / TelemetrySeries.Points:F3} | {(double)jittered.Length / TelemetrySeries.Points:F3} | {encode:F1} | {decode:F1} |"));
    }
}
