using Millwright.Fuzzing;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class TimeSeriesChunkTests
{
    internal static readonly string[] Names = ["regular 1 Hz sensor", "jittered", "constant", "counter", "special values", "huge gaps", "single point", "negative times"];

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
    public void A_steady_series_of_a_constant_costs_about_half_a_bit_a_point()
    {
        var times = Enumerable.Range(0, 3600).Select(i => 1_763_790_000_000L + (i * 1000L)).ToArray();
        var values = Enumerable.Repeat(21.5, 3600).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, values);

        // Header (about 20 bytes), then one 8-bit block per 32 timestamps and per 32 values.
        Assert.True(chunk.Length <= 24 + (2 * (3600 / 32 + 1)), $"{chunk.Length} bytes");
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
    [InlineData(new byte[] { 1, 1, 0 }, "unknown chunk version 1")]
    [InlineData(new byte[] { 2 }, "cut short")]
    [InlineData(new byte[] { 2, 9, 1, 0 }, "unknown chunk encoding 9")]
    [InlineData(new byte[] { 2, 1, 0 }, "1 to")]
    [InlineData(new byte[] { 2, 1, 1 }, "cut short")]
    [InlineData(new byte[] { 2, 1, 2, 0, 0, 0 }, "base delta of 0")]
    [InlineData(new byte[] { 2, 1, 2, 0, 3, 1 }, "unknown timestamp order 3")]
    [InlineData(new byte[] { 2, 1, 2, 0 }, "cut short")]
    [InlineData(new byte[] { 2, 1, 2, 0, 0, 1, 0, 0x02, 0x80 }, "do not increase at point 1")]
    [InlineData(new byte[] { 2, 1, 1, 0, 0, 0, 0 }, "ends in the middle")]
    [InlineData(new byte[] { 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "after the last point")]
    [InlineData(new byte[] { 2, 1, 0xFF, 0xFF, 0x3F, 0 }, "cannot fit")]
    [InlineData(new byte[] { 2, 1, 3, 0, 1, 1, 0x82 }, "block width of 65")]
    [InlineData(new byte[] { 2, 1, 3, 0, 1, 1, 0x81, 0xFF, 0xFF }, "past 64 bits")]
    [InlineData(new byte[] { 2, 1, 3, 0, 1, 1, 0x01, 0x00, 0x02, 0x80 }, "exception at position 2 of 2")]
    [InlineData(new byte[] { 2, 2, 1, 0, 7, 1, 0 }, "decimal scale 7")]
    [InlineData(new byte[] { 2, 2, 1, 0, 6, 3, 0 }, "order 3")]
    [InlineData(new byte[] { 2, 2, 1, 0, 6 }, "decimal header is cut short")]
    [InlineData(new byte[] { 2, 2, 1, 0, 0, 0, 0, 0, 1 }, "1 raw values among 1 points")]
    [InlineData(new byte[] { 2, 2, 2, 0, 1, 1, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "a raw value at point 2 of 2")]
    [InlineData(new byte[] { 2, 2, 3, 0, 1, 1, 0, 0, 0, 0, 0, 2, 0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7 }, "raw value is cut short")]
    [InlineData(new byte[] { 2, 2, 3, 0, 1, 1, 0, 0, 0, 0, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7 }, "2 raw values among 3 points")]
    [InlineData(new byte[] { 2, 3, 1, 0, 1, 0 }, "a text chunk")]
    public void Broken_chunks_are_refused_with_a_reason(byte[] chunk, string reason)
    {
        var e = Assert.Throws<ChunkFormatException>(() => Decode(chunk));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_decode_leaves_the_lists_as_they_were()
    {
        var chunk = TimeSeriesChunk.Encode([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5]);
        List<long> times = [7];
        List<double> values = [8];

        Assert.Throws<ChunkFormatException>(() => TimeSeriesChunk.Decode(chunk.AsSpan(0, chunk.Length - 1), times, values));

        Assert.Equal([7L], times);
        Assert.Equal([8.0], values);
    }

    [Fact]
    public void Decoding_appends_to_what_the_lists_already_hold()
    {
        List<long> times = [];
        List<double> values = [];

        TimeSeriesChunk.Decode(TimeSeriesChunk.Encode([1, 2], [0.5, 1]), times, values);
        TimeSeriesChunk.Decode(TimeSeriesChunk.Encode([3, 4], [double.NaN, 2]), times, values);

        Assert.Equal([1L, 2, 3, 4], times);
        Assert.Equal([0.5, 1, double.NaN, 2], values);
    }

    internal static (List<long> Times, List<double> Values) Decode(byte[] chunk)
    {
        List<long> times = [];
        List<double> values = [];
        var count = TimeSeriesChunk.Decode(chunk, times, values);
        Assert.Equal(count, times.Count);
        return (times, values);
    }

    internal static (long[] Times, double[] Values) Make(string name, Random random)
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
