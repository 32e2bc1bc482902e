using System.Text;
using Millwright.Features.Production;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>Machines' answers on cmd/ack are untrusted bytes: mutated answers may only parse or fail with the command format error.</summary>
public sealed class CommandAckFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        """{"commandId": "j42-1", "jobId": 42, "status": "accepted"}"""u8.ToArray(),
        """{"commandId": "j42-1", "jobId": 42, "status": "rejected", "reason": "busy with job 41"}"""u8.ToArray(),
        """{"jobId": 42, "status": "completed", "good": 20, "scrap": 1}"""u8.ToArray(),
        """{"jobId": 9223372036854775807, "status": "cancelled", "reason": null, "extra": [1, {"a": "é"}]}"""u8.ToArray(),
    ];

    [Fact]
    public void Mutated_answers_only_parse_or_fail_with_a_command_format_error()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261202, fields: []);
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var ack = CommandJson.ParseAck(input);
                Assert.True(ack.JobId > 0);
                Assert.Contains(ack.Status, new[] { "accepted", "rejected", "cancelled", "completed" });
                Assert.True(ack.Reason is null || ack.Reason.Length <= 500);
                Assert.True(ack.Good is null or >= 0 && ack.Scrap is null or >= 0);
            }
            catch (CommandFormatException)
            {
                // The one refusal the parser may give; the gate turns it into PUBACK 0x99 with this message.
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"status": "accepted"}""")]
    [InlineData("""{"jobId": 0, "status": "accepted"}""")]
    [InlineData("""{"jobId": 1.5, "status": "accepted"}""")]
    [InlineData("""{"jobId": 1, "status": "ok"}""")]
    [InlineData("""{"jobId": 1, "status": "completed", "good": -1}""")]
    [InlineData("""{"jobId": 1, "status": "rejected", "reason": 7}""")]
    [InlineData("""{"jobId": 1, "status": "accepted", "a": [[[[[[[[[[1]]]]]]]]]]}""")]
    public void Answers_outside_the_contract_are_refused_with_a_reason(string json)
    {
        var e = Assert.Throws<CommandFormatException>(() => CommandJson.ParseAck(Encoding.UTF8.GetBytes(json)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void A_reason_that_is_not_UTF_8_is_refused_not_thrown_as_another_error()
    {
        // Found by the fuzz test above: the JSON reader checks structure, and the bytes only fail when read as text.
        byte[] answer = [.. "{\"jobId\": 1, \"status\": \"rejected\", \"reason\": \"a"u8, 0x8B, .. "\"}"u8];
        Assert.Throws<CommandFormatException>(() => CommandJson.ParseAck(answer));
    }

    [Fact]
    public void An_answer_over_4_KiB_is_refused() =>
        Assert.Throws<CommandFormatException>(() => CommandJson.ParseAck(Encoding.UTF8.GetBytes($$"""{"jobId": 1, "status": "rejected", "reason": "{{new string('x', 5000)}}"}""")));
}
