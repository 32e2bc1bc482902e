using Millwright.Design;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>The design channel's client messages are untrusted: mutated ones only parse or are refused with a reason (<c>millwright-fuzz design-channel</c>).</summary>
public sealed class ChannelRequestFuzzTests
{
    [Fact]
    public void Mutated_channel_messages_only_parse_or_are_refused_with_a_reason()
    {
        var engine = ChannelRequestFuzzing.Engine(20261206);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (ChannelRequestFuzzing.Check(engine.Next().Input))
            {
                parsed++;
            }
        }

        // Enough survive the mutations for the tree, not only the parser, to be exercised.
        Assert.InRange(parsed, 100, 20_000);
    }

    [Theory]
    [InlineData("""{"type":"ops","ops":[]}""", "1-500")]
    [InlineData("""{"type":"ops","ops":[{"counter":0,"kind":"move","node":"a","parent":"root"}]}""", "positive")]
    [InlineData("""{"type":"ops","ops":[{"counter":1,"kind":"move","node":"a b","parent":"root"}]}""", "not a node id")]
    [InlineData("""{"type":"hello","replica":"x","extra":1}""", "unknown field")]
    [InlineData("""{"type":"ops","ops":[{"counter":1,"kind":"set","node":"a","field":"name","value":1}]}""", "must be a string")]
    [InlineData("""[1,2]""", "object")]
    [InlineData("""{"type":"hello""", "malformed JSON")]
    public void A_malformed_message_is_refused_saying_what_is_wrong(string message, string expected)
    {
        var refused = Assert.Throws<ChannelProtocolException>(() => ChannelRequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(message)));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
