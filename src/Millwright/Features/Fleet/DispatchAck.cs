using System.Globalization;
using System.Text.Json;
using Millwright.Features.Connectivity;

namespace Millwright.Features.Fleet;

/// <summary>
/// A telematics unit's answer to a <c>fleet.dispatch</c> command: <c>{"commandId": "fleet:12", "status": "accepted" |
/// "rejected", "reason": "..."}</c>, the command's id repeated (its namespace <c>fleet</c> marks the answer as the
/// fleet's); the older form names the assignment instead, <c>{"assignmentId": 12, ...}</c>, and both may be given if
/// they agree. The answer to a <c>fleet.release</c> repeats its id, <c>fleet:release-7</c>: then <see cref="Id"/> is
/// the release's and <see cref="Release"/> is set. <see cref="Parse"/> reads untrusted bytes and throws
/// <see cref="FormatException"/> naming what is wrong.
/// </summary>
internal sealed record DispatchAck(long Id, bool Accepted, string? Reason, bool Release = false)
{
    public const int MaxBytes = 4096;

    /// <summary>The namespace of the fleet's command ids (docs/fleet.md, "Dispatch").</summary>
    public const string Namespace = "fleet";

    /// <summary>The id of the command that dispatches an assignment; the machine repeats it in its answer.</summary>
    public static string CommandIdOf(long assignmentId) => string.Create(CultureInfo.InvariantCulture, $"{Namespace}{CommandNamespace.Separator}{assignmentId}");

    /// <summary>The id of the command that tells a machine it is released from a request (docs/fleet.md, "Releases").</summary>
    public static string ReleaseCommandIdOf(long releaseId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Namespace}{CommandNamespace.Separator}{ReleasePrefix}{releaseId}");

    private const string ReleasePrefix = "release-";

    /// <summary>Whether an answer without a namespaced command id is the fleet's (the older form): a JSON object with an assignmentId at its top level.</summary>
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

        long? fromCommand = null;
        var release = false;
        if (root.TryGetProperty("commandId", out var c))
        {
            var text = c.ValueKind == JsonValueKind.String ? Text(c, "commandId") : throw new FormatException("commandId must be a string");
            var prefix = Namespace + CommandNamespace.Separator;
            var rest = text.StartsWith(prefix, StringComparison.Ordinal) ? text.AsSpan(prefix.Length) : [];
            release = rest.StartsWith(ReleasePrefix, StringComparison.Ordinal);
            rest = release ? rest[ReleasePrefix.Length..] : rest;
            fromCommand = long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new FormatException($"commandId must repeat the command's id, {prefix}<assignment> or {prefix}{ReleasePrefix}<release>");
        }

        long id;
        if (root.TryGetProperty("assignmentId", out var named))
        {
            id = named.ValueKind == JsonValueKind.Number && named.TryGetInt64(out var assignment) && assignment > 0
                ? assignment : throw new FormatException("assignmentId must be a positive whole number");
            if (release)
            {
                throw new FormatException("the answer to a release repeats its commandId only, without an assignmentId");
            }

            if (fromCommand is { } commanded && commanded != id)
            {
                throw new FormatException($"assignmentId {id} is not the assignment of commandId {CommandIdOf(commanded)}");
            }
        }
        else
        {
            id = fromCommand ?? throw new FormatException("the answer must repeat the command's commandId (or name its assignmentId)");
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

        return new DispatchAck(id, status == "accepted", reason, release);
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
