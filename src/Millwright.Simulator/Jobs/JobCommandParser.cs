using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Millwright.Simulator.Jobs;

/// <summary>
/// Reads a command payload from the broker. The bytes come from the network, so nothing here throws: a payload
/// that is not a command is <see cref="JobCommandKind.Ignored"/>, a job with a jobId but a bad field is
/// <see cref="JobCommandKind.InvalidJob"/> (the machine answers <c>rejected</c> with the reason). Unknown
/// fields are ignored, as the contract says.
/// </summary>
internal static class JobCommandParser
{
    public const int MaxPayloadBytes = 16 * 1024;
    public const int MaxQuantity = 1_000_000;
    public const int MaxCommandIdLength = 200;
    public const int MaxProgramLength = 64;
    public const int MaxDesignBytes = 8 * 1024 * 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    // Shallow: a command is a flat object; deep nesting in unknown fields only costs the parser.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static JobCommand Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            return Ignored($"larger than {MaxPayloadBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray(), Options);
            return Read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or a string that is not valid UTF-8 (GetString throws InvalidOperationException for those).
            return Ignored("not a JSON object");
        }
    }

    private static JobCommand Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Ignored("not a JSON object");
        }

        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("job" or "cancel"))
        {
            return Ignored("type is neither \"job\" nor \"cancel\"");
        }

        if (!root.TryGetProperty("jobId", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var jobId) || jobId < 0)
        {
            // Without a jobId there is nothing the platform could match an answer to.
            return Ignored("jobId: a whole number is required");
        }

        var (commandId, commandIdError) = ReadCommandId(root);
        if (type == "cancel")
        {
            return new JobCommand(JobCommandKind.Cancel, commandId, jobId);
        }

        var jobError = ReadJob(root, out var quantity, out var setup, out var unit, out var program);
        var (design, designError) = ReadDesign(root);
        var (garment, garmentError) = GarmentParser.Read(root);
        var error = commandIdError ?? jobError ?? designError ?? garmentError;
        return error is null
            ? new JobCommand(JobCommandKind.Job, commandId, jobId) { Quantity = quantity, Setup = setup, Unit = unit, Program = program, Design = design, Garment = garment }
            : new JobCommand(JobCommandKind.InvalidJob, commandId, jobId) { Error = error };
    }

    private static (string? Id, string? Error) ReadCommandId(JsonElement root)
    {
        if (!root.TryGetProperty("commandId", out var c) || c.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return Text(c) is { Length: > 0 and <= MaxCommandIdLength } id
            ? (id, null)
            : (null, $"commandId: a string of 1 to {MaxCommandIdLength} characters");
    }

    private static string? ReadJob(JsonElement root, out int quantity, out TimeSpan setup, out TimeSpan unit, out string program)
    {
        (quantity, setup, unit, program) = (0, TimeSpan.Zero, TimeSpan.Zero, "");
        if (!root.TryGetProperty("quantity", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out var count)
            || count is < 1 or > MaxQuantity)
        {
            return $"quantity: a whole number from 1 to {MaxQuantity}";
        }

        quantity = (int)count;
        if (Seconds(root, "unitSeconds", required: true, out unit) is { } unitError)
        {
            return unitError;
        }

        if (unit <= TimeSpan.Zero)
        {
            return $"unitSeconds: more than 0 and at most {MaxDuration.TotalSeconds:0}";
        }

        if (Seconds(root, "setupSeconds", required: false, out setup) is { } setupError)
        {
            return setupError;
        }

        if (root.TryGetProperty("program", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (Text(p) is not { Length: <= MaxProgramLength } text)
            {
                return $"program: a string of at most {MaxProgramLength} characters";
            }

            program = text;
        }

        return null;
    }

    /// <summary>
    /// <c>customization.embroidery</c>, when the order was for a design: a 64-hex-digit sha256, a path on the
    /// platform (never an absolute URL: the machine's credential goes only to the platform it was provisioned on)
    /// and a size in bytes.
    /// </summary>
    private static (DesignReference? Design, string? Error) ReadDesign(JsonElement root)
    {
        if (!root.TryGetProperty("customization", out var c) || c.ValueKind != JsonValueKind.Object
            || !c.TryGetProperty("embroidery", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return (null, "customization.embroidery: an object naming the design");
        }

        var sha = e.TryGetProperty("sha256", out var h) ? Text(h) : null;
        if (sha is not { Length: 64 } || !sha.All(char.IsAsciiHexDigitLower))
        {
            return (null, "customization.embroidery.sha256: 64 lower-case hex digits");
        }

        var path = e.TryGetProperty("url", out var u) ? Text(u) : null;
        if (path is not { Length: > 1 and <= 500 } || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            return (null, "customization.embroidery.url: a path on the platform, such as /api/v1/embroidery/stitch-files/{sha256}");
        }

        if (!e.TryGetProperty("bytes", out var b) || b.ValueKind != JsonValueKind.Number || !b.TryGetInt64(out var bytes) || bytes is < 1 or > MaxDesignBytes)
        {
            return (null, $"customization.embroidery.bytes: a whole number from 1 to {MaxDesignBytes}");
        }

        return (new DesignReference(sha, path, bytes), null);
    }

    /// <summary>A duration in seconds, 0 to a day; absent is 0 unless required.</summary>
    private static string? Seconds(JsonElement root, string field, bool required, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!root.TryGetProperty(field, out var s) || s.ValueKind == JsonValueKind.Null)
        {
            return required ? $"{field}: required" : null;
        }

        if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var seconds) || !double.IsFinite(seconds)
            || seconds < 0 || seconds > MaxDuration.TotalSeconds)
        {
            return $"{field}: a number of seconds from 0 to {MaxDuration.TotalSeconds:0}";
        }

        value = TimeSpan.FromSeconds(seconds);
        return null;
    }

    /// <summary>
    /// A string value that is real text, or null. JSON escapes can spell a lone surrogate ("\ud800"), which
    /// GetString refuses and no UTF-8 writer accepts: the echoed commandId and the reported program must be
    /// writable, or the answer or the telemetry could not be sent.
    /// </summary>
    internal static string? Text(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString() is { } text && IsWellFormed(text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsWellFormed(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var used) != OperationStatus.Done)
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    private static JobCommand Ignored(string why) => new(JobCommandKind.Ignored, null, 0) { Error = why };
}
