using Millwright.Fuzzing;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class ChunkFuzzTests
{
    [Fact]
    public void Mutated_chunks_of_every_encoding_only_decode_or_fail_with_a_chunk_format_error()
    {
        var seeds = Seeds();
        Assert.Equal([1, 2, 3], seeds.Select(s => (int)s[1]).Distinct().Order());
        Assert.Equal([0, 1, 2], seeds.TakeLast(3).Select(s => (int)s[4])); // each timestamp order (n and t0 take a byte each)
        var engine = new MutationEngine(seeds, randomSeed: 2211, fields: [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 2)]);
        for (var i = 0; i < 150_000; i++)
        {
            var (_, input) = engine.Next();
            List<long> times = [];
            try
            {
                TimeSeriesChunk.Decode(input, times, []);
                AssertIncreasing(times);
            }
            catch (ChunkFormatException)
            {
                // The one refusal the decoder may give.
                Assert.Empty(times);
            }

            times.Clear();
            try
            {
                List<string> texts = [];
                TimeSeriesChunk.DecodeText(input, times, texts);
                AssertIncreasing(times);
                Assert.All(texts, Assert.NotNull);
            }
            catch (ChunkFormatException)
            {
                Assert.Empty(times);
            }
        }
    }

    /// <summary>Short chunks of each encoding and each path inside them: they keep each case cheap.</summary>
    private static List<byte[]> Seeds()
    {
        var seeds = TimeSeriesChunkTests.Names.Select(name =>
        {
            var (times, values) = TimeSeriesChunkTests.Make(name, new Random(name.Length));
            var n = Math.Min(times.Length, 70);
            return TimeSeriesChunk.Encode(times.AsSpan(0, n), values.AsSpan(0, n));
        }).ToList();
        long[] steady = [.. Enumerable.Range(0, 70).Select(i => 1_000_000L + (i * 1000) + (i >= 40 ? 3000 : 0))];
        seeds.Add(TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, 70).Select(i => Math.Round(1234.567 + (i * 0.006), 3))]));
        seeds.Add(TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, 70).Select(i => i % 9 == 0 ? 3.0 : 0.0)]));
        seeds.Add(TimeSeriesChunk.Encode(steady, [.. Enumerable.Range(0, 70).Select(i => Math.Round(12000 + (50 * Math.Sin(i)), 1))]));
        seeds.Add(TimeSeriesChunk.EncodeText(steady, [.. Enumerable.Range(0, 70).Select(i => i < 50 ? "O1234" : "O0042")]));
        seeds.Add(TimeSeriesChunk.EncodeText(steady.AsSpan(0, 9), ["", "a", "ü", "主轴", "a", "b", "c", "d", "e"]));
        seeds.Add(TimeSeriesChunk.EncodeText([5], ["only"]));
        var random = new Random(4);
        seeds.Add(TimeSeriesChunk.Encode([.. Enumerable.Range(0, 70).Select(i => (i * 1000L) + random.Next(-20, 21))], [.. Enumerable.Range(0, 70).Select(i => (double)i)]));
        seeds.Add(TimeSeriesChunk.Encode([.. Enumerable.Range(0, 70).Select(i => (long)Math.Round(i * 1000.37))], [.. Enumerable.Range(0, 70).Select(i => (double)i)]));
        seeds.Add(TimeSeriesChunk.Encode([.. Enumerable.Range(0, 70).Select(i => (i * 1000L) + ((long)i * i))], [.. Enumerable.Range(0, 70).Select(i => (double)i)]));
        return seeds;
    }

    private static void AssertIncreasing(List<long> times) =>
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First < p.Second), "decoded timestamps must increase");
}
