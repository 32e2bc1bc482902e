using System.Buffers;
using System.Text.Json;

namespace Millwright.Features.Production;

/// <summary>The JSON of commands to machines and of their answers (docs/production.md, "Commands to machines").</summary>
internal static class CommandJson
{
    public const int MaxAckBytes = 4096;
    private const int MaxReason = 500;

    /// <summary>A job; the order's customization (a design reference, measurements) goes along as it was taken.</summary>
    public static byte[] Job(JobRow job, OrderRow order, string commandId, long issuedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "job");
            json.WriteString("commandId", commandId);
            json.WriteNumber("jobId", job.Id);
            json.WriteNumber("orderId", job.OrderId);
            json.WriteString("order", job.OrderNumber);
            json.WriteString("item", order.Item);
            json.WriteString("operation", job.Operation);
            json.WriteString("program", job.Program);
            json.WriteNumber("quantity", Math.Max(1, job.Quantity - job.Good));
            json.WriteNumber("setupSeconds", (job.PlannedSetupMs ?? job.SetupMs) / 1000.0);
            json.WriteNumber("unitSeconds", job.UnitMs / 1000.0);
            json.WriteNumber("issuedAt", issuedAt);
            if (order.Customization is { } customization)
            {
                json.WritePropertyName("customization");
                json.WriteRawValue(customization, skipInputValidation: true);
            }
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Cancel(long jobId, string commandId, string reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["type"] = "cancel", ["commandId"] = commandId, ["jobId"] = jobId, ["reason"] = reason });

    /// <summary>Reads an answer; throws <see cref="CommandFormatException"/> naming the first thing wrong.</summary>
    public static CommandAck ParseAck(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxAckBytes)
        {
            throw new CommandFormatException($"an answer is at most {MaxAckBytes} bytes, not {payload.Length}");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new CommandFormatException($"the answer is not JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // A string with bytes that are not UTF-8: the reader validates structure, not text.
                throw new CommandFormatException($"the answer holds text that is not UTF-8: {e.Message}");
            }
        }
    }

    private static CommandAck Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CommandFormatException("the answer must be a JSON object");
        }

        var jobId = root.TryGetProperty("jobId", out var j) && j.ValueKind == JsonValueKind.Number && j.TryGetInt64(out var id) && id > 0
            ? id : throw new CommandFormatException("jobId must be a positive whole number");
        var status = root.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString()! : "";
        if (status is not (CommandAck.Accepted or CommandAck.Rejected or CommandAck.Cancelled or CommandAck.Completed))
        {
            throw new CommandFormatException("status must be accepted, rejected, cancelled or completed");
        }

        var reason = Text(root, "reason");
        if (reason is { Length: > MaxReason })
        {
            reason = reason[..MaxReason];
        }

        return new CommandAck(Text(root, "commandId"), jobId, status, reason, Count(root, "good"), Count(root, "scrap"));
    }

    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new CommandFormatException($"{name} must be a string");

    private static long? Count(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n is >= 0 and <= Orders.MaxQuantity * 10 ? n
        : throw new CommandFormatException($"{name} must be a whole number of units, 0 or more");
}
