using System.Text.Json;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// The appender's answer to a forwarding node: committed (Problem null) or not, with the reason the device is
/// told. JSON: {} or {"problem":"..."}.
/// </summary>
internal readonly record struct IngestReply(string? Problem)
{
    public static readonly IngestReply Committed = new(null);

    public byte[] Encode()
    {
        if (Problem is null)
        {
            return "{}"u8.ToArray();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("problem", Problem);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IngestReply Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.TryGetProperty("problem", out var problem)
                ? new IngestReply(problem.GetString() ?? "the appender could not store the message")
                : Committed;
        }
        catch (JsonException e)
        {
            return new IngestReply($"the appender's answer did not parse: {e.Message}");
        }
    }
}
