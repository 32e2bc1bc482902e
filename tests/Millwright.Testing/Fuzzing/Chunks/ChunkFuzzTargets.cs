using Millwright.Storage.TimeSeries;

namespace Millwright.Fuzzing;

/// <summary>
/// Seeds and the check for fuzzing the chunk decoders, shared by the unit test and the long-run driver
/// (`dotnet run -c Release --project bench/Millwright.Benchmarks -- chunk-fuzz`), which links this file.
/// </summary>
internal static class ChunkFuzzTargets
{
    /// <summary>Lengths, counts and the order bytes near the front are the fields worth lying about.</summary>
    public static MutationEngine Engine(int seed) =>
        new(Seeds(), seed, fields: [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 2)]);

    /// <summary>Short chunks of every encoding, timestamp order and block shape: they keep each case cheap.</summary>
    public static List<byte[]> Seeds()
    {
        const int n = 70;
        var random = new Random(4);
        long[] steady = [.. Enumerable.Range(0, n).Select(i => 1_000_000L + (i * 1000) + (i >= 40 ? 3000 : 0))];
        long[] huge = [.. Enumerable.Range(0, n).Select(i => (i * (1L << 35)) + random.Next(1000))];
        double[] counting = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        return
        [
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(i => Math.Round(60 + (10 * Math.Sin(i / 30.0)) + random.NextDouble(), 2))]),
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(i => Math.Round(1234.567 + (i * 0.006), 3))]),
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(i => i % 9 == 0 ? 3.0 : 0.0)]),
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(i => Math.Round(12000 + (50 * Math.Sin(i)), 1))]),
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1e6)]),
            TimeSeriesChunk.Encode(huge, [.. Enumerable.Range(0, n).Select(i => (i % 5) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => -0.0, 3 => double.Epsilon, _ => BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF) })]),
            TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, n).Select(i => i % 23 == 5 ? double.NaN : i % 31 == 2 ? -0.0 : Math.Round(i * 0.37, 2))]),
            TimeSeriesChunk.Encode([-1_763_790_000_000L], [42.5]),
            TimeSeriesChunk.Encode([long.MinValue, long.MinValue + 1, -1, long.MaxValue - 1], [1, 2, 3, 4]),
            TimeSeriesChunk.EncodeText(steady, [.. Enumerable.Range(0, n).Select(i => i < 50 ? "O1234" : "O0042")]),
            TimeSeriesChunk.EncodeText(steady.AsSpan(0, 9), ["", "a", "ü", "主轴", "a", "b", "c", "d", "e"]),
            TimeSeriesChunk.EncodeText([5], ["only"]),
            // Last, with n and t0 one byte each so byte 4 is the timestamp order: grid, deltas, deltas of deltas.
            TimeSeriesChunk.Encode([.. Enumerable.Range(0, n).Select(i => (i * 1000L) + random.Next(-20, 21))], counting),
            TimeSeriesChunk.Encode([.. Enumerable.Range(0, n).Select(i => (long)Math.Round(i * 1000.37))], counting),
            TimeSeriesChunk.Encode([.. Enumerable.Range(0, n).Select(i => (i * 1000L) + ((long)i * i))], counting),
        ];
    }

    /// <summary>
    /// Runs both decoders on the input. Returns how many of them accepted it; throws anything other than a
    /// <see cref="ChunkFormatException"/> they throw, and <see cref="InvalidOperationException"/> when one broke a
    /// promise (timestamps that do not increase, a null string, lists changed by a refusal).
    /// </summary>
    public static int Check(byte[] input)
    {
        var accepted = 0;
        List<long> times = [];
        List<double> values = [];
        try
        {
            var count = TimeSeriesChunk.Decode(input, times, values);
            Promise(count == times.Count && count == values.Count, "the count differs from the points appended");
            accepted++;
        }
        catch (ChunkFormatException)
        {
            Promise(times.Count == 0 && values.Count == 0, "a refused chunk left points behind");
        }

        Promise(Increasing(times), "decoded timestamps do not increase");
        times.Clear();
        List<string> texts = [];
        try
        {
            var count = TimeSeriesChunk.DecodeText(input, times, texts);
            Promise(count == times.Count && count == texts.Count, "the count differs from the points appended");
            Promise(texts.TrueForAll(t => t is not null), "a decoded string is null");
            accepted++;
        }
        catch (ChunkFormatException)
        {
            Promise(times.Count == 0 && texts.Count == 0, "a refused chunk left points behind");
        }

        Promise(Increasing(times), "decoded timestamps do not increase");
        return accepted;
    }

    private static bool Increasing(List<long> times)
    {
        for (var i = 1; i < times.Count; i++)
        {
            if (times[i] <= times[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void Promise(bool kept, string broken)
    {
        if (!kept)
        {
            throw new InvalidOperationException(broken);
        }
    }
}
