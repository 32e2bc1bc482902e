using Millwright.Fuzzing;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class IngestLogCodecTests
{
    [Fact]
    public void A_batch_decodes_to_exactly_the_points_it_was_encoded_from()
    {
        List<LogPoint> points =
        [
            new(1, 1_763_769_600_000, 21.5, null),
            new(300, 1_763_769_600_000, double.NaN, null),
            new(long.MaxValue >> 1, long.MinValue, -0.0, null),
            new(7, long.MaxValue, 0, "主轴 running"),
            new(7, 0, 0, ""),
            new(2, -5, double.NegativeInfinity, null),
        ];

        var decoded = new List<LogPoint>();
        Assert.Equal(points.Count, IngestLogCodec.Decode(IngestLogCodec.Encode(points), decoded));

        Assert.Equal(points.Select(p => (p.SeriesId, p.Timestamp, BitConverter.DoubleToInt64Bits(p.Number), p.Text)),
            decoded.Select(p => (p.SeriesId, p.Timestamp, BitConverter.DoubleToInt64Bits(p.Number), p.Text)));
    }

    [Fact]
    public void Points_of_one_message_cost_about_eleven_bytes_each()
    {
        var points = Enumerable.Range(0, 1000).Select(i => new LogPoint(1000 + (i % 10), 1_763_769_600_000 + (i / 10 * 1000), i, null)).ToList();

        Assert.InRange(IngestLogCodec.Encode(points).Length, 10_000, 12_000);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "version 2")]
    [InlineData(new byte[] { 1, 0 }, "cannot hold 0")]
    [InlineData(new byte[] { 1, 5, 2, 0, 0 }, "cannot hold 5")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "series 0")]
    [InlineData(new byte[] { 1, 1, 2, 0, 0, 0, 0 }, "cut short")]
    [InlineData(new byte[] { 1, 1, 3, 0, 9 }, "past the end")]
    [InlineData(new byte[] { 1, 1, 3, 0, 1, 0xFF }, "not UTF-8")]
    [InlineData(new byte[] { 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "after the last point")]
    [InlineData(new byte[] { 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "beyond 64 bits")]
    public void Malformed_batches_are_refused_with_a_log_format_error(byte[] body, string reason)
    {
        var error = Assert.Throws<IngestLogFormatException>(() => IngestLogCodec.Decode(body, []));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_batches_only_decode_or_fail_with_a_log_format_error()
    {
        var random = new Random(7);
        var seeds = Enumerable.Range(0, 12).Select(n => IngestLogCodec.Encode([.. Enumerable.Range(0, 1 + n * 3).Select(i => random.Next(4) == 0
            ? new LogPoint(1 + random.Next(300), 1_763_769_600_000 + random.Next(5000), 0, new string('é', random.Next(5)))
            : new LogPoint(1 + random.Next(300), 1_763_769_600_000 + random.Next(5000), Math.Round(random.NextDouble() * 100, 2), null))])).ToList();
        var engine = new MutationEngine(seeds, randomSeed: 4, fields: [(1, 1), (2, 1), (3, 1), (4, 2)]);
        var decodedCases = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            var points = new List<LogPoint>();
            try
            {
                var count = IngestLogCodec.Decode(input, points);
                Assert.Equal(count, points.Count);
                Assert.All(points, p => Assert.True(p.SeriesId > 0));
                decodedCases++;
            }
            catch (IngestLogFormatException)
            {
                // The one refusal the decoder may give.
            }
        }

        Assert.InRange(decodedCases, 1, 199_999);
    }
}
