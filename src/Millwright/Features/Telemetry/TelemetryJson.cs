using Millwright.Messages;
using System.Globalization;
using System.Text.Json;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Parses the telemetry wire format shared by MQTT and HTTP (DESIGN.md, wire conventions):
/// <c>{"ts": epoch-ms or ISO-8601, "values": {"tag": value}}</c> or an array of those. Values are numbers,
/// booleans or strings. Untrusted bytes: every failure is a <see cref="TelemetryFormatException"/>.
/// </summary>
internal static class TelemetryJson
{
    public const int MaxReadings = 10_000;
    public const int MaxTextLength = 256;
    public const int MaxTagLength = 64;

    // Tag names remembered per thread (see TagOf).
    private const int MaxCachedTags = 4096;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Readings without "ts" take <paramref name="receivedAt"/> (Unix ms).</summary>
    public static List<Reading> Parse(ReadOnlySpan<byte> json, long receivedAt)
    {
        // Parsed into this thread's scratch list and copied once at the exact size: a list grown by doubling for a
        // message of hundreds of values allocated about twice what it kept, on every message.
        var readings = t_scratch ??= new List<Reading>(64);
        readings.Clear();
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    ReadSample(ref reader, receivedAt, readings);
                }
            }
            else
            {
                ReadSample(ref reader, receivedAt, readings);
            }

            if (reader.Read())
            {
                throw Fail(ref reader, "unexpected data after the JSON value");
            }
        }
        catch (JsonException e)
        {
            throw new TelemetryFormatException($"malformed JSON at byte {reader.BytesConsumed}: {e.Message.Split('.')[0]}");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks a string's UTF-8 only when it is read as text.
            throw new TelemetryFormatException($"invalid UTF-8 in a string near byte {reader.TokenStartIndex}");
        }

        if (readings.Count == 0)
        {
            throw new TelemetryFormatException("no values: expected {\"ts\": ..., \"values\": {\"tag\": value}}");
        }

        var parsed = new List<Reading>(readings);
        if (readings.Capacity > 4096)
        {
            t_scratch = null; // one huge message must not pin its list to the thread for ever
        }

        return parsed;
    }

    [ThreadStatic]
    private static List<Reading>? t_scratch;

    [ThreadStatic]
    private static HashSet<string>? t_seen;

    [ThreadStatic]
    private static Dictionary<string, string>? t_tags;

    /// <summary>
    /// The property name as a string, the same instance each time this thread meets the same name: a device sends
    /// the same few hundred tags in every message, and a new string per value was the parser's largest allocation.
    /// </summary>
    private static string TagOf(ref Utf8JsonReader reader)
    {
        const int MaxRaw = MaxTagLength * 3;
        if (reader.HasValueSequence || reader.ValueSpan.Length > MaxRaw)
        {
            return reader.GetString()!; // too long to be a tag: refused by the caller, with its text
        }

        Span<char> buffer = stackalloc char[MaxRaw];
        var name = buffer[..reader.CopyString(buffer)];
        var tags = t_tags ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (tags.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known))
        {
            return known;
        }

        var tag = name.ToString();
        if (IsTagName(tag))
        {
            if (tags.Count >= MaxCachedTags)
            {
                tags.Clear(); // bounded: a device inventing names cannot grow this without end
            }

            tags.Add(tag, tag);
        }

        return tag;
    }

    /// <summary>One {"ts", "values"} object; the reader stands on its StartObject.</summary>
    private static void ReadSample(ref Utf8JsonReader reader, long receivedAt, List<Reading> readings)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref reader, "expected an object {\"ts\": ..., \"values\": {...}}");
        }

        long? ts = null;
        var first = readings.Count;
        var sawValues = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ts"u8))
            {
                Next(ref reader);
                ts = ReadTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                if (Next(ref reader) != JsonTokenType.StartObject)
                {
                    throw Fail(ref reader, "\"values\" must be an object of tag: value");
                }

                sawValues = true;
                ReadValues(ref reader, readings);
            }
            else
            {
                throw Fail(ref reader, $"unknown field '{reader.GetString()}'; expected \"ts\" and \"values\"");
            }
        }

        if (!sawValues)
        {
            throw Fail(ref reader, "missing \"values\"");
        }

        // "ts" may come before or after "values"; stamp this sample's readings once both are known.
        var stamp = ts ?? receivedAt;
        for (var i = first; i < readings.Count; i++)
        {
            readings[i] = readings[i] with { Timestamp = stamp };
        }
    }

    private static void ReadValues(ref Utf8JsonReader reader, List<Reading> readings)
    {
        var seen = t_seen ??= new HashSet<string>(StringComparer.Ordinal);
        seen.Clear();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var tag = TagOf(ref reader);
            if (!IsTagName(tag))
            {
                throw Fail(ref reader, $"'{Shorten(tag)}' is not a tag name (1-{MaxTagLength} letters, digits, '_', '.', '-', starting with a letter)");
            }

            if (!seen.Add(tag))
            {
                throw Fail(ref reader, $"tag '{tag}' appears twice in one sample");
            }

            if (readings.Count >= MaxReadings)
            {
                throw Fail(ref reader, $"more than {MaxReadings} values in one message");
            }

            var value = Next(ref reader) switch
            {
                JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number) => TagValue.Of(number),
                JsonTokenType.True => TagValue.Of(true),
                JsonTokenType.False => TagValue.Of(false),
                JsonTokenType.String when reader.GetString() is { Length: <= MaxTextLength } text => TagValue.Of(text),
                JsonTokenType.String => throw Fail(ref reader, $"the text of '{tag}' is longer than {MaxTextLength} characters"),
                _ => throw Fail(ref reader, $"the value of '{tag}' must be a finite number, true, false or a string"),
            };
            readings.Add(new Reading(tag, 0, value));
        }
    }

    private static long ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ms) && ms is >= 0 and <= 253402300799999)
        {
            return ms;
        }

        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUnixTimeMilliseconds();
        }

        throw Fail(ref reader, "\"ts\" must be epoch milliseconds (a non-negative integer) or an ISO-8601 time");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new TelemetryFormatException($"the JSON ends early at byte {reader.BytesConsumed}");
        }

        return reader.TokenType;
    }

    private static bool IsTagName(string tag)
    {
        if (tag.Length is 0 or > MaxTagLength || !char.IsAsciiLetter(tag[0]))
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static TelemetryFormatException Fail(ref Utf8JsonReader reader, string problem) =>
        new($"{problem} (at byte {reader.TokenStartIndex})");
}
