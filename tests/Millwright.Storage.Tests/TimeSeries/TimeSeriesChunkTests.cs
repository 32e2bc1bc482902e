using Millwright.Fuzzing;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class TimeSeriesChunkTests
{
    private static readonly string[] Names = ["regular 1 Hz sensor", "jittered", "constant", "counter", "special values", "huge gaps", "single point", "negative times"];

    public static TheoryData<string> Series() => [.. Names];

    [Theory]
    [MemberData(nameof(Series))]
    public void A_series_decodes_to_exactly_the_points_it_was_encoded_from(string name)
    {
        var (times, values) = Make(name, new Random(name.Length));

        var chunk = TimeSeriesChunk.Encode(times, values);
        var (decodedTimes, decodedValues) = Decode(chunk);

        Assert.Equal(times, decodedTimes);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decodedValues.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Random_series_round_trip_bit_for_bit()
    {
        var random = new Random(42);
        for (var run = 0; run < 500; run++)
        {
            var n = 1 + random.Next(300);
            var times = new long[n];
            var values = new double[n];
            times[0] = random.NextInt64(-1L << 40, 1L << 42);
            for (var i = 0; i < n; i++)
            {
                if (i > 0)
                {
                    times[i] = times[i - 1] + (random.Next(4) == 0 ? random.NextInt64(1, 1L << 36) : 1 + random.Next(2000));
                }

                values[i] = random.Next(5) switch
                {
                    0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                    1 => i > 0 ? values[i - 1] : 0,
                    _ => Math.Round(random.NextDouble() * 1000, random.Next(4)),
                };
            }

            var (decodedTimes, decodedValues) = Decode(TimeSeriesChunk.Encode(times, values));
            Assert.Equal(times, decodedTimes);
            Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decodedValues.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void A_steady_series_costs_two_bits_a_point()
    {
        var times = Enumerable.Range(0, 3600).Select(i => 1_763_790_000_000L + (i * 1000L)).ToArray();
        var values = Enumerable.Repeat(21.5, 3600).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, values);

        // Header (about 12 bytes) + 64 bits for the first value + 2 bits per further point.
        Assert.True(chunk.Length <= 12 + 8 + ((3599 * 2) + 7) / 8, $"{chunk.Length} bytes");
    }

    [Fact]
    public void Timestamps_that_do_not_increase_or_mismatched_lengths_are_refused_by_the_encoder()
    {
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([1, 1], [0, 0]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([2, 1], [0, 0]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([1, 2], [0]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([], []));
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 2, 1, 0 }, "unknown chunk version 2")]
    [InlineData(new byte[] { 1, 0 }, "1 to")]
    [InlineData(new byte[] { 1, 1 }, "cut short")]
    [InlineData(new byte[] { 1, 2, 0, 0 }, "first delta must be positive")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0 }, "ends in the middle")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "after the last point")]
    public void Broken_chunks_are_refused_with_a_reason(byte[] chunk, string reason)
    {
        var e = Assert.Throws<ChunkFormatException>(() => Decode(chunk));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_chunks_only_decode_or_fail_with_a_chunk_format_error()
    {
        var seeds = Names.Select(name =>
        {
            // Short seeds keep each case cheap; the structure is the same as in a long chunk.
            var (times, values) = Make(name, new Random(name.Length));
            var n = Math.Min(times.Length, 40);
            return TimeSeriesChunk.Encode(times.AsSpan(0, n), values.AsSpan(0, n));
        }).ToList();
        var engine = new MutationEngine(seeds, randomSeed: 1122, fields: [(1, 1), (2, 1)]);
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var (times, _) = Decode(input);
                Assert.True(times.Zip(times.Skip(1)).All(p => p.First < p.Second), "decoded timestamps must increase");
            }
            catch (ChunkFormatException)
            {
                // The one refusal the decoder may give.
            }
        }
    }

    private static (List<long> Times, List<double> Values) Decode(byte[] chunk)
    {
        List<long> times = [];
        List<double> values = [];
        var count = TimeSeriesChunk.Decode(chunk, times, values);
        Assert.Equal(count, times.Count);
        return (times, values);
    }

    private static (long[] Times, double[] Values) Make(string name, Random random)
    {
        const long start = 1_763_790_000_000;
        var n = name == "single point" ? 1 : 600;
        var times = new long[n];
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            times[i] = name switch
            {
                "jittered" => start + (i * 1000L) + random.Next(-40, 40),
                "huge gaps" => start + (i * (1L << 35)) + random.Next(1000),
                "negative times" => -start + (i * 250L),
                _ => start + (i * 1000L),
            };
            values[i] = name switch
            {
                "regular 1 Hz sensor" => Math.Round(60 + (10 * Math.Sin(i / 30.0)) + random.NextDouble(), 2),
                "constant" => 1500,
                "counter" => i / 7,
                "special values" => (i % 5) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => -0.0, 3 => double.Epsilon, _ => BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF) },
                _ => random.NextDouble() * 1e6,
            };
        }

        return (times, values);
    }
}
