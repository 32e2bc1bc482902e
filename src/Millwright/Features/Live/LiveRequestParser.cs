using System.Text.Json;

namespace Millwright.Features.Live;

/// <summary>
/// Parses the live feed's client messages, untrusted text from any browser:
/// <c>{"key": "..."}</c>, <c>{"subscribe": {"machines": [ids], "lines": [ids], "sites": [ids], "positions": true}}</c>
/// and <c>{"unsubscribe": {...}}</c> with the same shape. Exactly one field at the top; unknown fields, wrong
/// types and ids that are not positive integers are refused. Every failure is a <see cref="LiveRequestException"/>.
/// </summary>
internal static class LiveRequestParser
{
    /// <summary>Ids in one message, all lists together; a 16 KiB message holds fewer anyway.</summary>
    public const int MaxIds = 5_000;

    public const int MaxKeyLength = 200;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 3, CommentHandling = JsonCommentHandling.Disallow };

    public static LiveRequest Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (Next(ref reader) != JsonTokenType.StartObject)
            {
                throw Fail(ref reader, "expected an object: {\"subscribe\": {...}}, {\"unsubscribe\": {...}} or {\"key\": \"...\"}");
            }

            if (Next(ref reader) != JsonTokenType.PropertyName)
            {
                throw Fail(ref reader, "empty message: expected {\"subscribe\": {...}}, {\"unsubscribe\": {...}} or {\"key\": \"...\"}");
            }

            LiveRequest request;
            if (reader.ValueTextEquals("key"u8))
            {
                if (Next(ref reader) != JsonTokenType.String)
                {
                    throw Fail(ref reader, "\"key\" must be a string");
                }

                var key = reader.GetString()!;
                if (key.Length is 0 or > MaxKeyLength)
                {
                    throw Fail(ref reader, $"\"key\" must be 1-{MaxKeyLength} characters");
                }

                request = new LiveRequest(LiveRequestKind.Authenticate, key, LiveSelection.Empty);
            }
            else if (reader.ValueTextEquals("subscribe"u8))
            {
                request = new LiveRequest(LiveRequestKind.Subscribe, null, ReadSelection(ref reader, "subscribe"));
            }
            else if (reader.ValueTextEquals("unsubscribe"u8))
            {
                request = new LiveRequest(LiveRequestKind.Unsubscribe, null, ReadSelection(ref reader, "unsubscribe"));
            }
            else
            {
                throw Fail(ref reader, $"unknown field '{Shorten(reader.GetString()!)}'; expected \"subscribe\", \"unsubscribe\" or \"key\"");
            }

            if (Next(ref reader) != JsonTokenType.EndObject)
            {
                throw Fail(ref reader, "one request per message: expected the object to end after the first field");
            }

            if (reader.Read())
            {
                throw Fail(ref reader, "unexpected data after the JSON value");
            }

            return request;
        }
        catch (JsonException e)
        {
            throw new LiveRequestException($"malformed JSON at byte {reader.BytesConsumed}: {e.Message.Split('.')[0]}");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks a string's UTF-8 only when it is read as text.
            throw new LiveRequestException($"invalid UTF-8 in a string near byte {reader.TokenStartIndex}");
        }
    }

    /// <summary>The reader stands on the "subscribe"/"unsubscribe" property name.</summary>
    private static LiveSelection ReadSelection(ref Utf8JsonReader reader, string field)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            throw Fail(ref reader, $"\"{field}\" must be an object {{\"machines\": [ids], \"lines\": [ids], \"sites\": [ids]}}");
        }

        SortedSet<long>? machines = null, lines = null, sites = null;
        bool? positions = null;
        var count = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("positions"u8))
            {
                if (positions is not null)
                {
                    throw Fail(ref reader, $"\"positions\" appears twice in \"{field}\"");
                }

                if (Next(ref reader) != JsonTokenType.True)
                {
                    throw Fail(ref reader, $"\"positions\" must be true (leave it out to keep the fleet positions as they are)");
                }

                positions = true;
                continue;
            }

            ref var list = ref machines;
            if (reader.ValueTextEquals("lines"u8))
            {
                list = ref lines;
            }
            else if (reader.ValueTextEquals("sites"u8))
            {
                list = ref sites;
            }
            else if (!reader.ValueTextEquals("machines"u8))
            {
                throw Fail(ref reader, $"unknown field '{Shorten(reader.GetString()!)}' in \"{field}\"; expected \"machines\", \"lines\", \"sites\" and \"positions\"");
            }

            if (list is not null)
            {
                throw Fail(ref reader, $"\"{reader.GetString()}\" appears twice in \"{field}\"");
            }

            var name = reader.GetString()!;
            list = new SortedSet<long>();
            if (Next(ref reader) != JsonTokenType.StartArray)
            {
                throw Fail(ref reader, $"\"{name}\" must be an array of ids");
            }

            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id) || id <= 0)
                {
                    throw Fail(ref reader, $"\"{name}\" must hold positive integer ids");
                }

                if (++count > MaxIds)
                {
                    throw Fail(ref reader, $"more than {MaxIds} ids in one message");
                }

                list.Add(id);
            }
        }

        var selection = new LiveSelection([.. machines ?? []], [.. lines ?? []], [.. sites ?? []]) { Positions = positions == true };
        if (selection.IsEmpty && !selection.Positions)
        {
            throw new LiveRequestException($"\"{field}\" names no machines, lines, sites or positions");
        }

        return selection;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new LiveRequestException($"the JSON ends early at byte {reader.BytesConsumed}");
        }

        return reader.TokenType;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static LiveRequestException Fail(ref Utf8JsonReader reader, string problem) =>
        new($"{problem} (at byte {reader.TokenStartIndex})");
}
