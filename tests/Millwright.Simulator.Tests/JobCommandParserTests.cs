using System.Text;
using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Tests;

/// <summary>The command payloads and answers of docs/production.md ("Commands to machines"), field by field.</summary>
public sealed class JobCommandParserTests
{
    [Fact]
    public void The_contract_examples_parse_to_a_job_and_a_cancel()
    {
        var job = JobCommandParser.Parse("""
            {"type": "job", "commandId": "j42-1", "jobId": 42, "orderId": 7, "order": "SO-1007", "item": "BRKT-A",
             "operation": "10 Mill", "program": "O1234", "quantity": 20, "setupSeconds": 120, "unitSeconds": 30,
             "issuedAt": 1764700000000}
            """u8);
        var cancel = JobCommandParser.Parse("""{"type": "cancel", "commandId": "j42-c2", "jobId": 42, "reason": "machine down; job moved"}"""u8);

        Assert.Equal(new JobCommand(JobCommandKind.Job, "j42-1", 42) { Program = "O1234", Quantity = 20, Setup = TimeSpan.FromSeconds(120), Unit = TimeSpan.FromSeconds(30) }, job);
        Assert.Equal(new JobCommand(JobCommandKind.Cancel, "j42-c2", 42), cancel);
        Assert.Equal("""{"commandId":"j42-1","jobId":42,"status":"rejected","reason":"busy with job 41"}""",
            Encoding.UTF8.GetString(new JobAnswer("j42-1", 42, JobStatus.Rejected, "busy with job 41").ToJson()));
        Assert.Equal("""{"jobId":42,"status":"completed","good":20,"scrap":1}""",
            Encoding.UTF8.GetString(new JobAnswer("j42-1", 42, JobStatus.Completed, Good: 20, Scrap: 1).ToJson()));
    }

    [Theory]
    [InlineData("""{"type":"pause","jobId":1}""", "type")]
    [InlineData("""{"type":"job","quantity":1,"unitSeconds":1}""", "jobId")]
    [InlineData("""{"type":"job","jobId":"42","quantity":1,"unitSeconds":1}""", "jobId")]
    [InlineData("""[{"type":"job"}]""", "JSON object")]
    [InlineData("""{"type":"job",""", "JSON object")]
    public void A_payload_with_nothing_to_answer_is_ignored_with_the_reason(string payload, string reason)
    {
        var command = JobCommandParser.Parse(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(JobCommandKind.Ignored, command.Kind);
        Assert.Contains(reason, command.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"job","jobId":1,"quantity":1.5,"unitSeconds":1}""", "quantity")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1}""", "unitSeconds")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":0}""", "unitSeconds")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"setupSeconds":-1}""", "setupSeconds")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"program":7}""", "program")]
    [InlineData("""{"type":"job","jobId":1,"commandId":"\ud800","quantity":1,"unitSeconds":1}""", "commandId")]
    public void A_job_with_a_bad_field_is_invalid_with_that_field_named(string payload, string field)
    {
        var command = JobCommandParser.Parse(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(JobCommandKind.InvalidJob, command.Kind);
        Assert.StartsWith(field + ":", command.Error, StringComparison.Ordinal);
    }
}
