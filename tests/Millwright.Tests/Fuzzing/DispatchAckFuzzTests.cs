using System.Text;
using Millwright.Features.Fleet;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>Telematics units' answers to fleet dispatches are untrusted bytes: mutated answers may only parse or fail with a format error.</summary>
public sealed class DispatchAckFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        """{"assignmentId": 12, "status": "accepted"}"""u8.ToArray(),
        """{"assignmentId": 12, "status": "rejected", "reason": "low-loader broke down"}"""u8.ToArray(),
        """{"assignmentId": 9223372036854775807, "status": "accepted", "reason": null, "extra": [1, {"a": "é"}]}"""u8.ToArray(),
        """{"commandId": "fleet:12", "status": "accepted"}"""u8.ToArray(),
        """{"commandId": "fleet:12", "assignmentId": 12, "jobId": 4, "status": "rejected", "reason": "no operator on site"}"""u8.ToArray(),
        """{"commandId": "fleet:release-7", "status": "accepted"}"""u8.ToArray(),
        """{"commandId": "fleet:release-7", "status": "rejected", "reason": "already on the road"}"""u8.ToArray(),
    ];

    [Fact]
    public void Mutated_answers_only_parse_or_fail_with_a_format_error()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261206, fields: []);
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            _ = DispatchAck.NamesAnAssignment(input);
            _ = Millwright.Features.Connectivity.CommandNamespace.Of(input);
            try
            {
                var ack = DispatchAck.Parse(input);
                Assert.True(ack.Id > 0);
                Assert.True(ack.Reason is null || ack.Reason.Length <= 500);
            }
            catch (FormatException)
            {
                // The one refusal the parser may give; the port turns it into PUBACK 0x99 with this message.
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"status": "accepted"}""")]
    [InlineData("""{"assignmentId": 0, "status": "accepted"}""")]
    [InlineData("""{"assignmentId": 1.5, "status": "accepted"}""")]
    [InlineData("""{"assignmentId": "1", "status": "accepted"}""")]
    [InlineData("""{"assignmentId": 1, "status": "maybe"}""")]
    [InlineData("""{"assignmentId": 1, "status": "accepted", "a": [[[[[[[[[[1]]]]]]]]]]}""")]
    [InlineData("""{"commandId": "fleet:0", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:-3", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:", "status": "accepted"}""")]
    [InlineData("""{"commandId": 12, "status": "accepted"}""")]
    [InlineData("""{"commandId": "j12-1", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:3", "assignmentId": 4, "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:release-", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:release-0", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:release7", "status": "accepted"}""")]
    [InlineData("""{"commandId": "fleet:release-7", "assignmentId": 7, "status": "accepted"}""")]
    public void Answers_outside_the_contract_are_refused_with_a_reason(string json)
    {
        var e = Assert.Throws<FormatException>(() => DispatchAck.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void A_reason_that_is_not_UTF_8_is_refused_not_thrown_as_another_error()
    {
        byte[] answer = [.. "{\"assignmentId\": 1, \"status\": \"rejected\", \"reason\": \"a"u8, 0x8B, .. "\"}"u8];
        Assert.Throws<FormatException>(() => DispatchAck.Parse(answer));
    }

    [Fact]
    public void Only_an_object_naming_an_assignment_is_the_fleets()
    {
        Assert.True(DispatchAck.NamesAnAssignment("""{"status": "accepted", "assignmentId": 3}"""u8));
        Assert.False(DispatchAck.NamesAnAssignment("""{"jobId": 3, "status": "accepted"}"""u8));
        Assert.False(DispatchAck.NamesAnAssignment("""{"a": {"assignmentId": 3}}"""u8));
        Assert.False(DispatchAck.NamesAnAssignment("not json"u8));
    }

    [Theory]
    [InlineData("""{"commandId": "fleet:12", "status": "accepted"}""", 12L)]
    [InlineData("""{"status": "accepted", "commandId": "fleet:7", "assignmentId": 7}""", 7L)]
    [InlineData("""{"assignmentId": 5, "status": "accepted"}""", 5L)]
    public void The_assignment_comes_from_the_command_id_or_the_older_assignmentId(string json, long assignment) =>
        Assert.Equal(assignment, DispatchAck.Parse(Encoding.UTF8.GetBytes(json)).Id);

    [Fact]
    public void A_release_is_told_apart_from_a_dispatch_by_its_command_id()
    {
        var release = DispatchAck.Parse("""{"commandId": "fleet:release-7", "status": "rejected", "reason": "already on the road"}"""u8);
        Assert.Equal(new DispatchAck(7, false, "already on the road", Release: true), release);
        Assert.False(DispatchAck.Parse("""{"commandId": "fleet:7", "status": "accepted"}"""u8).Release);
        Assert.Equal("fleet:release-7", DispatchAck.ReleaseCommandIdOf(7));
    }

    [Theory]
    [InlineData("""{"commandId": "fleet:12", "jobId": 3}""", "fleet")]
    [InlineData("""{"jobId": 3, "commandId": "crane:a:b"}""", "crane")]
    [InlineData("""{"commandId": "j42-1", "jobId": 42}""", null)]
    [InlineData("""{"commandId": ":1"}""", null)]
    [InlineData("""{"assignmentId": 3}""", null)]
    [InlineData("""{"a": {"commandId": "fleet:1"}}""", null)]
    [InlineData("""{"commandId": 5}""", null)]
    [InlineData("not json", null)]
    public void An_answers_namespace_is_the_top_level_command_ids_text_before_the_colon(string json, string? expected) =>
        Assert.Equal(expected, Millwright.Features.Connectivity.CommandNamespace.Of(Encoding.UTF8.GetBytes(json)));
}
