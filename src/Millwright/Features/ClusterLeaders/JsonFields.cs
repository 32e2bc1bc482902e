using System.Text.Json;

namespace Millwright.Features.ClusterLeaders;

/// <summary>
/// Strict reads of the JSON bodies nodes send each other (<see cref="RelayCodec"/>, <see cref="CommandCodec"/>): a
/// missing member, a value of the wrong kind or text that is not UTF-8 is a <see cref="FormatException"/> naming it.
/// </summary>
internal static class JsonFields
{
    public static JsonElement Object(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new FormatException($"{what} is not a JSON object");

    public static JsonElement.ArrayEnumerator Array(JsonElement e, string name) =>
        Member(e, name).ValueKind == JsonValueKind.Array ? e.GetProperty(name).EnumerateArray() : throw new FormatException($"'{name}' is not an array");

    public static JsonElement Member(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"'{name}' is missing");

    public static string Text(JsonElement e, string name)
    {
        if (Member(e, name) is not { ValueKind: JsonValueKind.String } value)
        {
            throw new FormatException($"'{name}' is not a string");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // The parser lets invalid UTF-8 inside a string through; reading it is where it shows.
            throw new FormatException($"'{name}' is not UTF-8 text", ex);
        }
    }

    public static string? OptionalText(JsonElement e, string name) =>
        Member(e, name).ValueKind == JsonValueKind.Null ? null : Text(e, name);

    public static long Whole(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var whole) ? whole : throw new FormatException($"'{name}' is not a whole number");

    public static long? OptionalWhole(JsonElement e, string name) =>
        Member(e, name).ValueKind == JsonValueKind.Null ? null : Whole(e, name);

    public static double Number(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number : throw new FormatException($"'{name}' is not a finite number");

    public static DateTimeOffset Instant(JsonElement e, string name)
    {
        var ms = Whole(e, name);
        return ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new FormatException($"'{name}' is not a time");
    }
}
