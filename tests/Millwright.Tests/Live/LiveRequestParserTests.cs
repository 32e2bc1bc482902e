using System.Text;
using Millwright.Features.Live;
using Millwright.Fuzzing;

namespace Millwright.Tests.Live;

/// <summary>The parser of client messages: what it accepts, what it refuses and why, and a fuzz run.</summary>
public sealed class LiveRequestParserTests
{
    private static readonly byte[][] Seeds =
    [
        """{"subscribe": {"machines": [1, 2, 3], "lines": [10], "sites": [100]}}"""u8.ToArray(),
        """{"unsubscribe": {"lines": [9223372036854775807]}}"""u8.ToArray(),
        """{"key": "mwk_abcdefghijkl_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmn"}"""u8.ToArray(),
        """{ "subscribe" : { "sites" : [ 5 , 5 , 4 ] } }"""u8.ToArray(),
        """{"subscribe": {"positions": true, "machines": [7]}}"""u8.ToArray(),
    ];

    [Fact]
    public void A_subscription_lists_each_kind_of_id_sorted_and_without_duplicates()
    {
        var request = LiveRequestParser.Parse("""{"subscribe": {"sites": [5, 5, 4], "machines": [3, 1], "lines": []}}"""u8);

        Assert.Equal(LiveRequestKind.Subscribe, request.Kind);
        Assert.Equal([1L, 3L], request.Selection.Machines);
        Assert.Empty(request.Selection.Lines);
        Assert.Equal([4L, 5L], request.Selection.Sites);
    }

    [Fact]
    public void The_fleet_positions_are_asked_for_alone_or_beside_ids()
    {
        var alone = LiveRequestParser.Parse("""{"unsubscribe": {"positions": true}}"""u8);
        var beside = LiveRequestParser.Parse("""{"subscribe": {"machines": [2], "positions": true}}"""u8);

        Assert.Equal((LiveRequestKind.Unsubscribe, true, true), (alone.Kind, alone.Selection.Positions, alone.Selection.IsEmpty));
        Assert.Equal((true, 2L), (beside.Selection.Positions, Assert.Single(beside.Selection.Machines)));
        Assert.False(LiveRequestParser.Parse("""{"subscribe": {"machines": [2]}}"""u8).Selection.Positions);
    }

    [Fact]
    public void A_key_message_carries_the_key()
    {
        var request = LiveRequestParser.Parse("""{"key": "mwk_a_b"}"""u8);

        Assert.Equal(LiveRequestKind.Authenticate, request.Kind);
        Assert.Equal("mwk_a_b", request.Key);
    }

    [Theory]
    [InlineData("""{"subscribe": {"machines": [1]}, "extra": 1}""", "one request per message")]
    [InlineData("""{"watch": {"machines": [1]}}""", "unknown field 'watch'")]
    [InlineData("""{"subscribe": {"robots": [1]}}""", "unknown field 'robots' in \"subscribe\"")]
    [InlineData("""{"subscribe": {"machines": [1], "machines": [2]}}""", "\"machines\" appears twice")]
    [InlineData("""{"subscribe": {"machines": [0]}}""", "positive integer ids")]
    [InlineData("""{"subscribe": {"machines": [-3]}}""", "positive integer ids")]
    [InlineData("""{"subscribe": {"machines": [1.5]}}""", "positive integer ids")]
    [InlineData("""{"subscribe": {"machines": ["1"]}}""", "positive integer ids")]
    [InlineData("""{"subscribe": {"machines": [99999999999999999999]}}""", "positive integer ids")]
    [InlineData("""{"subscribe": {"machines": 1}}""", "must be an array")]
    [InlineData("""{"subscribe": {"machines": []}}""", "names no machines")]
    [InlineData("""{"subscribe": {}}""", "names no machines")]
    [InlineData("""{"subscribe": {"positions": false}}""", "\"positions\" must be true")]
    [InlineData("""{"subscribe": {"positions": 1}}""", "\"positions\" must be true")]
    [InlineData("""{"subscribe": {"positions": true, "positions": true}}""", "\"positions\" appears twice")]
    [InlineData("""{"subscribe": [1]}""", "must be an object")]
    [InlineData("""{"key": 5}""", "must be a string")]
    [InlineData("""{"key": ""}""", "1-200 characters")]
    [InlineData("""{}""", "empty message")]
    [InlineData("""[]""", "expected an object")]
    [InlineData("""{"subscribe": {"machines": [1]}} {}""", "malformed JSON")]
    [InlineData("""{"subscribe": {"machines": [[1]]}}""", "malformed JSON")]
    [InlineData("""{"subscribe": {"machines": [1]""", "malformed JSON")]
    [InlineData("""{"subscribe": /* hi */ {"machines": [1]}}""", "malformed JSON")]
    [InlineData("", "malformed JSON")]
    public void A_bad_message_is_refused_with_a_reason(string json, string reason)
    {
        var e = Assert.Throws<LiveRequestException>(() => LiveRequestParser.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_ids_than_the_limit_are_refused()
    {
        var ids = string.Join(",", Enumerable.Range(1, LiveRequestParser.MaxIds + 1));

        var e = Assert.Throws<LiveRequestException>(() => LiveRequestParser.Parse(Encoding.UTF8.GetBytes($$$"""{"subscribe": {"machines": [{{{ids}}}]}}""")));

        Assert.Contains($"more than {LiveRequestParser.MaxIds} ids", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x6B, 0x65, 0x79, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })] // invalid UTF-8 in the key
    [InlineData(new byte[] { 0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D })] // invalid UTF-8 in a field name
    public void Invalid_UTF8_is_refused_as_a_request_error(byte[] input) =>
        Assert.Throws<LiveRequestException>(() => LiveRequestParser.Parse(input));

    [Fact]
    public void Mutated_messages_only_parse_or_fail_with_a_request_error()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261122, fields: []);
        var parsed = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var request = LiveRequestParser.Parse(input);
                parsed++;
                if (request.Kind == LiveRequestKind.Authenticate)
                {
                    Assert.InRange(request.Key!.Length, 1, LiveRequestParser.MaxKeyLength);
                }
                else
                {
                    var s = request.Selection;
                    Assert.True(!s.IsEmpty || s.Positions);
                    Assert.All(s.Machines.Concat(s.Lines).Concat(s.Sites), id => Assert.True(id > 0));
                    Assert.InRange(s.Machines.Count + s.Lines.Count + s.Sites.Count, s.Positions ? 0 : 1, LiveRequestParser.MaxIds);
                }
            }
            catch (LiveRequestException)
            {
                // The one refusal the parser may give.
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{Convert.ToBase64String(input)}");
            }
        }

        // The mutations must leave some messages valid, or the run would only exercise the first byte.
        Assert.InRange(parsed, 1_000, 199_999);
    }
}
