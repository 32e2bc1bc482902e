using System.Text;
using Millwright.Features.ClusterIngest;
using Millwright.Messages;

namespace Millwright.Tests.Cluster;

/// <summary>The forwarded-message format between nodes: what goes in comes out, and anything else is refused.</summary>
public sealed class IngestCodecTests
{
    [Fact]
    public void A_forwarded_message_comes_back_as_it_was_sent_with_every_kind_of_value()
    {
        var message = new DeviceMessage(7, 42, "mqtt", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), [
            new Reading("power", 1_700_000_000_000, TagValue.Of(41.25)),
            new Reading("door", 1_700_000_000_001, TagValue.Of(true)),
            new Reading("program", 1_700_000_000_002, TagValue.Of("O1234 \"roughing\" ü")),
        ]);

        var decoded = IngestCodec.Decode(IngestCodec.Encode(message));

        Assert.Equal((message.TenantId, message.MachineId, message.Source, message.ReceivedAt), (decoded.TenantId, decoded.MachineId, decoded.Source, decoded.ReceivedAt));
        Assert.Equal(message.Readings, decoded.Readings);
    }

    [Fact]
    public void A_number_that_is_not_finite_travels_as_null_and_stays_not_finite()
    {
        var message = new DeviceMessage(1, 2, "http", DateTimeOffset.UnixEpoch, [new Reading("power", 5, TagValue.Of(double.NaN))]);

        var reading = Assert.Single(IngestCodec.Decode(IngestCodec.Encode(message)).Readings);

        Assert.Equal(TagValueKind.Number, reading.Value.Kind);
        Assert.False(double.IsFinite(reading.Value.Number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"t\":1,\"m\":2,\"s\":\"mqtt\",\"at\":0}")]
    [InlineData("{\"t\":1,\"m\":2,\"s\":\"mqtt\",\"at\":0,\"r\":[[\"power\",1]]}")]
    [InlineData("{\"t\":1,\"m\":2,\"s\":\"mqtt\",\"at\":0,\"r\":[[\"power\",1,{}]]}")]
    [InlineData("{\"t\":\"x\",\"m\":2,\"s\":\"mqtt\",\"at\":0,\"r\":[]}")]
    [InlineData("{\"t\":1,\"m\":2,\"s\":null,\"at\":0,\"r\":[]}")]
    [InlineData("{\"t\":1,\"m\":2,\"s\":\"mqtt\",\"at\":0,\"r\":[[[[[[1]]]]]]}")]
    public void A_body_that_is_not_a_forwarded_message_is_refused_with_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => IngestCodec.Decode(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Random_bytes_are_refused_with_a_format_error_and_nothing_else()
    {
        var random = new Random(22);
        var body = new byte[64];
        for (var i = 0; i < 2_000; i++)
        {
            random.NextBytes(body);
            body[0] = (byte)'{';
            Assert.Throws<FormatException>(() => IngestCodec.Decode(body.AsSpan(0, random.Next(1, body.Length))));
        }
    }
}
