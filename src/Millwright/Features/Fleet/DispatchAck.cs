using System.Text.Json;

namespace Millwright.Features.Fleet;

/// <summary>
/// A telematics unit's answer to a <c>fleet.dispatch</c> command: <c>{"assignmentId": 12, "status": "accepted" |
/// "rejected", "reason": "..."}</c>. <see cref="Parse"/> reads untrusted bytes and throws <see cref="FormatException"/>
/// naming what is wrong.
/// </summary>
internal sealed record DispatchAck(long AssignmentId, bool Accepted, string? Reason)
{
    public const int MaxBytes = 4096;

    /// <summary>Whether the answer is the fleet's: a JSON object with an assignmentId at its top level.</summary>
    public static bool NamesAnAssignment(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxBytes)
        {
            return false;
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("assignmentId"u8))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        return false;
    }

    public static DispatchAck Parse(ReadOnlySpan<byte> payload)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the answer is not JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the answer must be a JSON object");
        }

        if (!root.TryGetProperty("assignmentId", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var assignmentId) || assignmentId <= 0)
        {
            throw new FormatException("assignmentId must be a positive whole number");
        }

        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? Text(s, "status") : null;
        if (status is not ("accepted" or "rejected"))
        {
            throw new FormatException("status must be \"accepted\" or \"rejected\"");
        }

        string? reason = null;
        if (root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
        {
            reason = Text(r, "reason");
            reason = reason.Length > 500 ? reason[..500] : reason;
        }

        return new DispatchAck(assignmentId, status == "accepted", reason);
    }

    private static string Text(JsonElement element, string field)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // The JSON reader checks structure only; bytes that are not UTF-8 fail when read as text.
            throw new FormatException($"{field} is not UTF-8 text");
        }
    }
}
