using System.Buffers;
using System.Text.Json;

namespace Millwright.Simulator.Jobs;

/// <summary>An answer on <c>mw/{tenant}/{machine}/cmd/ack</c>, in the contract's shape (docs/production.md).</summary>
internal sealed record JobAnswer(string? CommandId, long JobId, JobStatus Status, string? Reason = null, long Good = 0, long Scrap = 0)
{
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();

            // A completion answers no single command, so it carries none (as in the contract's example).
            if (CommandId is not null && Status != JobStatus.Completed)
            {
                json.WriteString("commandId", CommandId);
            }

            json.WriteNumber("jobId", JobId);
            json.WriteString("status", Status switch
            {
                JobStatus.Accepted => "accepted",
                JobStatus.Rejected => "rejected",
                JobStatus.Cancelled => "cancelled",
                _ => "completed",
            });
            if (Reason is not null)
            {
                json.WriteString("reason", Reason);
            }

            if (Status == JobStatus.Completed)
            {
                json.WriteNumber("good", Good);
                json.WriteNumber("scrap", Scrap);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
