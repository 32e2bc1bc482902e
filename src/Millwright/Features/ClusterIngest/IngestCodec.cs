using System.Buffers;
using System.Text.Json;
using Millwright.Messages;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// A forwarded <see cref="DeviceMessage"/> as JSON: {"t":tenant,"m":machine,"s":source,"at":ms,"r":[[tag,ts,value],...]}
/// where value is a number, a boolean or a string (the reading's kind). Nodes of one cluster run one version, so
/// the format has no version field; a message that does not parse is refused, never guessed at.
/// </summary>
internal static class IngestCodec
{
    public static byte[] Encode(DeviceMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + message.Readings.Count * 32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("t", message.TenantId);
            json.WriteNumber("m", message.MachineId);
            json.WriteString("s", message.Source);
            json.WriteNumber("at", message.ReceivedAt.ToUnixTimeMilliseconds());
            json.WriteStartArray("r");
            foreach (var reading in message.Readings)
            {
                json.WriteStartArray();
                json.WriteStringValue(reading.Tag);
                json.WriteNumberValue(reading.Timestamp);
                switch (reading.Value.Kind)
                {
                    case TagValueKind.Boolean:
                        json.WriteBooleanValue(reading.Value.Number != 0);
                        break;
                    case TagValueKind.Text:
                        json.WriteStringValue(reading.Value.Text);
                        break;
                    default:
                        // Admission let through a non-finite number only to flag it; JSON has no NaN, so it travels as null.
                        if (double.IsFinite(reading.Value.Number))
                        {
                            json.WriteNumberValue(reading.Value.Number);
                        }
                        else
                        {
                            json.WriteNullValue();
                        }

                        break;
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a forwarded message; throws <see cref="FormatException"/> for anything else.</summary>
    public static DeviceMessage Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            var readings = new List<Reading>();
            foreach (var item in root.GetProperty("r").EnumerateArray())
            {
                if (item.GetArrayLength() != 3)
                {
                    throw new FormatException("a reading is [tag, timestamp, value]");
                }

                var value = item[2];
                readings.Add(new Reading(item[0].GetString() ?? throw new FormatException("a tag is a string"), item[1].GetInt64(), value.ValueKind switch
                {
                    JsonValueKind.Number => TagValue.Of(value.GetDouble()),
                    JsonValueKind.Null => TagValue.Of(double.NaN),
                    JsonValueKind.True => TagValue.Of(true),
                    JsonValueKind.False => TagValue.Of(false),
                    JsonValueKind.String => TagValue.Of(value.GetString()!),
                    _ => throw new FormatException("a value is a number, a boolean or a string"),
                }));
            }

            return new DeviceMessage(
                root.GetProperty("t").GetInt64(),
                root.GetProperty("m").GetInt64(),
                root.GetProperty("s").GetString() ?? throw new FormatException("the source is a string"),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("at").GetInt64()),
                readings);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"not a forwarded device message: {e.Message}", e);
        }
    }
}
