using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

/// <summary>Which number encoding a chunk gets, and the values at the edges of the decimal one.</summary>
public sealed class NumberEncodingTests
{
    private const byte Xor = 1;
    private const byte Decimal = 2;
    private const byte Either = 0;

    public static TheoryData<string, double[], byte> Cases() => new()
    {
        { "whole numbers", [0, 1, 2, 3, -7, 1e15], Decimal },
        { "one decimal", [12003.4, 12003.5, 11999.9], Decimal },
        { "three decimals", [1234.567, 1234.573, 1234.58], Decimal },
        { "six decimals", [0.000001, 123456.123456, -0.5], Decimal },
        { "seven decimals", [0.0000001, 0.00000011], Xor },
        { "0.1 + 0.2", [0.1 + 0.2, 0.3, 0.1], Either },
        { "negative zero", [1.5, -0.0, 2.5], Either },
        { "NaN", [1, double.NaN, 2], Either },
        { "a NaN payload", [1, BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001), 2], Either },
        { "infinities", [double.PositiveInfinity, 1, double.NegativeInfinity], Either },
        { "nothing but odd values", [double.NaN, -0.0, double.PositiveInfinity, 0.1 + 0.2], Xor },
        { "2^53", [9007199254740992, 9007199254740991], Decimal },
        { "beyond 2^53", [9007199254740994, 9007199254740996], Xor },
        { "scaled beyond 2^53", [9007199254.740993, 9007199254.740995], Xor },
        { "huge and tiny", [1e300, 5e-324], Xor },
        { "largest exact thousandths", [.. Enumerable.Range(0, 40).Select(i => (9007199254740991 - (3 * i)) / 1000.0)], Decimal },
        { "a pair where XOR is smaller", [9007199254740.991, -9007199254740.991], Xor },
        { "a booleans' series", [0, 1, 1, 0, 0, 0, 1], Decimal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_round_trip_bit_for_bit_in_the_encoding_that_fits_them(string name, double[] values, byte encoding)
    {
        var times = Enumerable.Range(0, values.Length).Select(i => 1000L * i).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, values);
        var (decodedTimes, decoded) = TimeSeriesChunkTests.Decode(chunk);

        Assert.True(encoding == Either || encoding == chunk[1], $"{name}: encoding {chunk[1]}");
        Assert.Equal(times, decodedTimes);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decoded.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Rounded_random_decimals_and_sums_that_are_not_decimals_round_trip()
    {
        var random = new Random(5);
        for (var run = 0; run < 2000; run++)
        {
            var n = 1 + random.Next(100);
            var places = random.Next(8);
            var scale = Math.Pow(10, random.Next(-3, 12));
            var values = Enumerable.Range(0, n).Select(_ => random.Next(6) switch
            {
                0 => Math.Round(random.NextDouble() * 0.1, places) + Math.Round(random.NextDouble() * 0.2, places),
                1 => -Math.Round(random.NextDouble() * scale, places),
                _ => Math.Round(random.NextDouble() * scale, places),
            }).ToArray();
            var times = Enumerable.Range(0, n).Select(i => 1000L * i).ToArray();

            var (_, decoded) = TimeSeriesChunkTests.Decode(TimeSeriesChunk.Encode(times, values));

            Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decoded.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Extreme_timestamps_and_gaps_round_trip()
    {
        long[][] series =
        [
            [long.MinValue, long.MinValue + 1, -1, long.MaxValue - 1],
            [long.MinValue, -1, long.MaxValue - 1],
            [-5, -4, 0, 1, 1L << 40, (1L << 40) + 1, (1L << 40) + 2],
            [long.MaxValue - 2, long.MaxValue],
            [.. Enumerable.Range(0, 100).Select(i => (long)i * i * i * i * i * i)],
        ];
        foreach (var times in series)
        {
            var values = times.Select((_, i) => (double)i).ToArray();

            var (decodedTimes, decoded) = TimeSeriesChunkTests.Decode(TimeSeriesChunk.Encode(times, values));

            Assert.Equal(times, decodedTimes);
            Assert.Equal(values, decoded);
        }
    }

    public static TheoryData<string, byte> Cadences() => new()
    {
        { "1 Hz with jitter around a grid", 0 },
        { "a clock a little slower than 1 Hz", 1 },
        { "a cadence that slows steadily", 2 },
    };

    [Theory]
    [MemberData(nameof(Cadences))]
    public void Each_timestamp_order_is_chosen_where_it_is_smallest_and_round_trips(string cadence, byte order)
    {
        var random = new Random(9);
        var times = Enumerable.Range(0, 100).Select(i => cadence switch
        {
            "1 Hz with jitter around a grid" => (i * 1000L) + random.Next(-3, 4),
            "a clock a little slower than 1 Hz" => (long)Math.Round(i * 1000.37),
            _ => (i * 1000L) + ((long)i * i),
        }).ToArray();
        times[0] = 0;
        var values = times.Select(t => (double)(t % 7)).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, values);
        var (decodedTimes, decoded) = TimeSeriesChunkTests.Decode(chunk);

        // Version, encoding, n = 100 (one byte), t0 = 0 (one byte), then the order.
        Assert.Equal(order, chunk[4]);
        Assert.Equal(times, decodedTimes);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void A_span_of_2_to_the_63_milliseconds_is_refused_by_the_encoder()
    {
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([long.MinValue, long.MaxValue], [0, 0]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode([long.MinValue, 0], [0, 0]));
    }

    [Fact]
    public void A_chunk_of_max_points_round_trips_and_one_more_is_refused()
    {
        var times = new long[TimeSeriesChunk.MaxPoints + 1];
        var values = new double[TimeSeriesChunk.MaxPoints + 1];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = 1_763_790_000_000L + (i * 1000L) + (i % 7);
            values[i] = Math.Round(i * 0.37, 2);
        }

        var chunk = TimeSeriesChunk.Encode(times.AsSpan(0, TimeSeriesChunk.MaxPoints), values.AsSpan(0, TimeSeriesChunk.MaxPoints));
        var (decodedTimes, decoded) = TimeSeriesChunkTests.Decode(chunk);

        Assert.Equal(times[..TimeSeriesChunk.MaxPoints], decodedTimes);
        Assert.Equal(values[..TimeSeriesChunk.MaxPoints], decoded);
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.Encode(times, values));
    }

    [Fact]
    public void Runs_of_one_value_cost_at_most_half_a_bit_a_point_with_timestamps()
    {
        var times = Enumerable.Range(0, 3600).Select(i => 1_763_790_000_000L + (i * 1000L)).ToArray();
        double[][] runs =
        [
            [.. Enumerable.Repeat(0.0, 3600)],
            [.. Enumerable.Range(0, 3600).Select(i => i < 1800 ? 0.0 : 1.0)],
            [.. Enumerable.Range(0, 3600).Select(i => (double)(i / 600))],
        ];
        foreach (var values in runs)
        {
            var chunk = TimeSeriesChunk.Encode(times, values);

            Assert.True(chunk.Length * 8 <= 3600 / 2 + 300, $"{chunk.Length} bytes");
        }
    }

    [Fact]
    public void Odd_readings_among_decimals_keep_their_bits_without_sending_the_chunk_to_xor()
    {
        var random = new Random(8);
        var times = Enumerable.Range(0, 600).Select(i => 1000L * i).ToArray();
        var values = Enumerable.Range(0, 600).Select(_ => Math.Round(20 + random.NextDouble(), 2)).ToArray();
        (int Index, double Value)[] odd = [(0, double.NaN), (17, -0.0), (18, 0.1 + 0.2), (300, double.NegativeInfinity), (301, 1e300), (599, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF))];
        foreach (var (index, value) in odd)
        {
            values[index] = value;
        }

        var chunk = TimeSeriesChunk.Encode(times, values);
        var (_, decoded) = TimeSeriesChunkTests.Decode(chunk);

        Assert.Equal(Decimal, chunk[1]);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decoded.Select(BitConverter.DoubleToInt64Bits));
        // About 7 bits a value (a spread of 100 hundredths) and 9 bytes per odd one; XOR would need about 50 bits a value.
        Assert.True(chunk.Length <= (600 * 8 / 8) + (odd.Length * 10) + 150, $"{chunk.Length} bytes");
    }

    [Fact]
    public void Integers_too_large_for_the_decimal_scale_of_their_neighbours_are_kept_raw()
    {
        // 1e12 is exact at 0 places but not at 6, where 10^18 passes 2^53; the neighbours need 6 places.
        double[] values = [0.000001, 1e12, 0.000002, 0.000003, 0.000004, 0.000005, 0.000006, 0.000007, 0.000008, 0.000009];
        var times = Enumerable.Range(0, values.Length).Select(i => 1000L * i).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, values);
        var (_, decoded) = TimeSeriesChunkTests.Decode(chunk);

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), decoded.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Rounded_telemetry_is_several_times_smaller_than_with_xor_alone()
    {
        var random = new Random(3);
        var times = Enumerable.Range(0, 3600).Select(i => 1_763_790_000_000L + (i * 1000L) + random.Next(-3, 4)).ToArray();
        var speed = Enumerable.Range(0, 3600).Select(i => Math.Round(12000 + (5 * Math.Sin(i / 60.0)) + random.NextDouble(), 1)).ToArray();

        var chunk = TimeSeriesChunk.Encode(times, speed);

        // XOR spends about 50 bits a point on such values; the scaled deltas here span about 20 units.
        Assert.Equal(Decimal, chunk[1]);
        Assert.True(chunk.Length <= 3600 * 2, $"{chunk.Length} bytes");
    }
}
