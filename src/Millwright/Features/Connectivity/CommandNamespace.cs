using System.Text.Json;

namespace Millwright.Features.Connectivity;

/// <summary>
/// Which feature an answer on <c>cmd/ack</c> belongs to, said explicitly: a feature that owns a namespace gives its
/// commands ids <c>{namespace}:{rest}</c> (the fleet's are <c>fleet:12</c>), the machine repeats the id in its answer,
/// and the port hands the answer to that feature alone. Ids without a namespace (production's <c>j42-1</c>) and
/// answers without an id are the older form, still told apart by the fields each feature names.
/// </summary>
internal static class CommandNamespace
{
    public const char Separator = ':';

    /// <summary>Longest answer read for its id: larger ones are refused by every feature anyway.</summary>
    private const int MaxBytes = 4096;

    /// <summary>The namespace of the answer's top-level <c>commandId</c>, or null when it has none (or no id, or is no JSON object).</summary>
    public static string? Of(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxBytes)
        {
            return null;
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("commandId"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return null;
                    }

                    var id = reader.GetString()!;
                    var colon = id.IndexOf(Separator, StringComparison.Ordinal);
                    return colon > 0 ? id[..colon] : null;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or an id that is not UTF-8: no namespace; the features' own parsers say what is wrong.
            return null;
        }

        return null;
    }
}
