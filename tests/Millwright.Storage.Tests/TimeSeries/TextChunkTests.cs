using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class TextChunkTests
{
    private static readonly long[] Hour = [.. Enumerable.Range(0, 3600).Select(i => 1_763_790_000_000L + (i * 1000L))];

    [Fact]
    public void A_program_name_repeated_every_second_round_trips_at_about_a_bit_a_point()
    {
        var values = Enumerable.Range(0, 3600).Select(i => i < 2000 ? "O1234" : "O5678").ToArray();

        var chunk = TimeSeriesChunk.EncodeText(Hour, values);
        var (times, decoded) = DecodeText(chunk);

        Assert.Equal(Hour, times);
        Assert.Equal(values, decoded);
        // One bit a point for the text, a quarter bit for the steady timestamps, and the header with the dictionary.
        Assert.True(chunk.Length * 8 <= 3600 + (3600 / 4) + 400, $"{chunk.Length} bytes");
    }

    [Fact]
    public void Empty_strings_unicode_and_many_distinct_values_round_trip()
    {
        var random = new Random(7);
        string[] pool = ["", "O1234", "Ölpumpe läuft", "主轴报警", "emoji 🛠️", new string('x', TimeSeriesChunk.MaxTextBytes), "O1234 "];
        for (var run = 0; run < 200; run++)
        {
            var n = 1 + random.Next(500);
            var times = Enumerable.Range(0, n).Select(i => -5_000L + (i * 997L)).ToArray();
            var values = Enumerable.Range(0, n).Select(i => random.Next(3) switch
            {
                0 => pool[random.Next(pool.Length)],
                1 => $"job-{random.Next(run + 1)}",
                _ => "same",
            }).ToArray();

            var (decodedTimes, decoded) = DecodeText(TimeSeriesChunk.EncodeText(times, values));

            Assert.Equal(times, decodedTimes);
            Assert.Equal(values, decoded);
        }
    }

    [Fact]
    public void A_single_text_point_round_trips()
    {
        var (times, values) = DecodeText(TimeSeriesChunk.EncodeText([42], ["only"]));

        Assert.Equal([42L], times);
        Assert.Equal(["only"], values);
    }

    [Fact]
    public void Every_point_distinct_up_to_the_dictionary_limit_round_trips()
    {
        var n = TimeSeriesChunk.MaxTextEntries;
        var times = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var values = Enumerable.Range(0, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var (_, decoded) = DecodeText(TimeSeriesChunk.EncodeText(times, values));

        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Text_the_chunk_cannot_hold_is_refused_by_the_encoder()
    {
        var tooMany = Enumerable.Range(0, TimeSeriesChunk.MaxTextEntries + 1).Select(i => $"v{i}").ToArray();
        var times = Enumerable.Range(0, tooMany.Length).Select(i => (long)i).ToArray();

        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText(times, tooMany));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText([1], [new string('é', (TimeSeriesChunk.MaxTextBytes / 2) + 1)]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText([1], [null!]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText([1], ["lone \ud800 surrogate"]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText([1, 1], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => TimeSeriesChunk.EncodeText([1, 2], ["a"]));
    }

    [Fact]
    public void Numeric_and_text_decoders_refuse_each_others_chunks()
    {
        var text = TimeSeriesChunk.EncodeText([1, 2], ["a", "b"]);
        var numbers = TimeSeriesChunk.Encode([1, 2], [1, 2]);
        var xor = TimeSeriesChunk.Encode([1, 2], [double.NaN, 2]);

        Assert.Contains("DecodeText", Assert.Throws<ChunkFormatException>(() => TimeSeriesChunkTests.Decode(text)).Message, StringComparison.Ordinal);
        Assert.Contains("read it with Decode", Assert.Throws<ChunkFormatException>(() => DecodeText(numbers)).Message, StringComparison.Ordinal);
        Assert.Contains("read it with Decode", Assert.Throws<ChunkFormatException>(() => DecodeText(xor)).Message, StringComparison.Ordinal);
        Assert.True(TimeSeriesChunk.IsText(text));
        Assert.False(TimeSeriesChunk.IsText(numbers));
    }

    [Fact]
    public void Text_decoding_appends_and_a_refusal_leaves_the_lists_as_they_were()
    {
        List<long> times = [1];
        List<string> values = ["before"];
        var chunk = TimeSeriesChunk.EncodeText([2, 3], ["a", "b"]);

        TimeSeriesChunk.DecodeText(chunk, times, values);
        Assert.Throws<ChunkFormatException>(() => TimeSeriesChunk.DecodeText(chunk.AsSpan(0, chunk.Length - 1), times, values));

        Assert.Equal([1L, 2, 3], times);
        Assert.Equal(["before", "a", "b"], values);
    }

    [Theory]
    [InlineData(new byte[] { 2, 3, 1, 0, 0 }, "dictionary of 0 entries")]
    [InlineData(new byte[] { 2, 3, 1, 0, 2, 1, 0x61, 1, 0x62 }, "dictionary of 2 entries for 1 points")]
    [InlineData(new byte[] { 2, 3, 1, 0, 1, 5, 0x61 }, "claims 5 bytes")]
    [InlineData(new byte[] { 2, 3, 1, 0, 1, 0x81, 0x20, 0x61 }, "claims 4097 bytes")]
    [InlineData(new byte[] { 2, 3, 1, 0, 1, 1, 0xFF }, "not UTF-8")]
    [InlineData(new byte[] { 2, 3, 1, 0, 1, 1, 0x61, 0 }, "after the last point")]
    [InlineData(new byte[] { 2, 3, 2, 0, 1, 1, 0, 2, 1, 0x61, 1, 0x62, 0x40, 0 }, "after the last point")]
    [InlineData(new byte[] { 2, 3, 3, 0, 1, 1, 0, 3, 1, 0x61, 1, 0x62, 1, 0x63, 0xC0 }, "text index 3 beyond a dictionary of 3")]
    [InlineData(new byte[] { 2, 3, 3, 0, 1, 1, 0, 3, 1, 0x61, 1, 0x62, 1, 0x63 }, "ends in the middle")]
    [InlineData(new byte[] { 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "numeric chunk")]
    public void Broken_text_chunks_are_refused_with_a_reason(byte[] chunk, string reason)
    {
        var e = Assert.Throws<ChunkFormatException>(() => DecodeText(chunk));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    internal static (List<long> Times, List<string> Values) DecodeText(byte[] chunk)
    {
        List<long> times = [];
        List<string> values = [];
        var count = TimeSeriesChunk.DecodeText(chunk, times, values);
        Assert.Equal(count, times.Count);
        Assert.Equal(count, values.Count);
        return (times, values);
    }
}
