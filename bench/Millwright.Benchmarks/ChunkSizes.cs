using System.Globalization;
using Millwright.Storage.TimeSeries;

namespace Millwright.Benchmarks;

/// <summary>`chunk-sizes`: bytes per point of one hour of each telemetry series, steady and jittered timestamps.</summary>
internal static class ChunkSizes
{
    public static void Print()
    {
        var steady = Enumerable.Range(0, TelemetrySeries.Points).Select(i => 1_763_790_000_000L + (i * 1000L)).ToArray();
        var jittered = TelemetrySeries.Timestamps(1);
        Console.WriteLine("| series | encoding | bytes/point, steady 1 s | bytes/point, ±3 ms jitter |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        foreach (var name in TelemetrySeries.NumberNames)
        {
            var values = TelemetrySeries.Numbers(name, 2);
            Row(name, TimeSeriesChunk.Encode(steady, values), TimeSeriesChunk.Encode(jittered, values));
        }

        var program = TelemetrySeries.Program();
        Row("program", TimeSeriesChunk.EncodeText(steady, program), TimeSeriesChunk.EncodeText(jittered, program));
    }

    private static void Row(string name, byte[] steady, byte[] jittered)
    {
        var encoding = steady[1] switch { 1 => "xor", 2 => "decimal", _ => "text" };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {encoding} | {(double)steady.Length / TelemetrySeries.Points:F3} | {(double)jittered.Length / TelemetrySeries.Points:F3} |"));
    }
}
