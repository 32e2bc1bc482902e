using System.Text.Json;

namespace Millwright.Sparkplug;

/// <summary>
/// The payload of <c>spBv1.0/STATE/{host_id}</c> (4.3, Sparkplug Host Application birth and death): UTF-8 JSON
/// <c>{"online": true|false, "timestamp": epoch-ms}</c>, published retained with QoS 1.
/// </summary>
public sealed record SparkplugHostState(bool Online, DateTimeOffset Timestamp)
{
    public static SparkplugHostState Parse(ReadOnlySpan<byte> payload)
    {
        bool? online = null;
        ulong? timestamp = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new SparkplugProtocolException("A STATE payload must be a JSON object (4.3).");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Names are compared as UTF-8 bytes: GetString() would throw InvalidOperationException on invalid
                // UTF-8 (found by the fuzzer), and unknown members need no decoding at all.
                var onlineMember = reader.ValueTextEquals("online"u8);
                var timestampMember = !onlineMember && reader.ValueTextEquals("timestamp"u8);
                reader.Read();
                if (onlineMember)
                {
                    online = reader.TokenType is JsonTokenType.True or JsonTokenType.False
                        ? reader.GetBoolean()
                        : throw new SparkplugProtocolException("STATE member 'online' must be true or false (4.3).");
                }
                else if (timestampMember)
                {
                    timestamp = reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var ms)
                        ? ms
                        : throw new SparkplugProtocolException("STATE member 'timestamp' must be epoch milliseconds (4.3).");
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new SparkplugProtocolException("A STATE payload must be exactly one JSON object (4.3).");
            }
        }
        catch (JsonException e)
        {
            throw new SparkplugProtocolException("A STATE payload is not valid JSON (4.3).", e);
        }

        if (online is not { } isOnline || timestamp is not { } at)
        {
            throw new SparkplugProtocolException("A STATE payload needs 'online' and 'timestamp' (4.3).");
        }

        return new SparkplugHostState(isOnline, SparkplugValues.ToTimestamp(at, "STATE timestamp"));
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new Dictionary<string, object> { ["online"] = Online, ["timestamp"] = SparkplugValues.FromTimestamp(Timestamp) });
}
