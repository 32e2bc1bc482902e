using System.Globalization;
using System.Text.Json;
using Millwright.Sparkplug;

namespace Millwright.Features.Connectivity;

/// <summary>
/// The command contract over Sparkplug B (docs/sparkplug.md, "Commands"). A command's JSON object (production's
/// job or cancel, an operator's own) goes out as one NCMD/DCMD whose metrics are its top-level members, each named
/// <c>Command/{member}</c>; the machine answers in NDATA/DDATA with metrics named <c>Answer/{member}</c>, which
/// become the same JSON answer an MQTT machine publishes on cmd/ack. One rule both ways, so every feature's
/// commands reach Sparkplug machines without a mapping of their own.
/// </summary>
internal static class SparkplugCommandMetrics
{
    public const string CommandPrefix = "Command/";
    public const string AnswerPrefix = "Answer/";

    /// <summary>The metrics of a command; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static IReadOnlyList<SparkplugMetricValue> ToMetrics(ReadOnlyMemory<byte> command)
    {
        using var json = JsonDocument.Parse(command);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("a command is a JSON object");
        }

        var metrics = new List<SparkplugMetricValue>();
        foreach (var member in json.RootElement.EnumerateObject())
        {
            var name = CommandPrefix + member.Name;
            var value = member.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.String, value.GetString()));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.Boolean, value.GetBoolean()));
                    break;
                case JsonValueKind.Number when value.TryGetInt64(out var whole):
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.Int64, whole));
                    break;
                case JsonValueKind.Number:
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.Double, value.GetDouble()));
                    break;
                case JsonValueKind.Null:
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.String, null));
                    break;
                default:
                    // A nested object or array has no Sparkplug scalar: the machine gets its JSON text.
                    metrics.Add(new SparkplugMetricValue(name, SparkplugDataType.String, value.GetRawText()));
                    break;
            }
        }

        return metrics;
    }

    /// <summary>Whether a metric belongs to the command channel rather than the machine's data.</summary>
    public static bool IsCommandChannel(string name) =>
        name.StartsWith(CommandPrefix, StringComparison.Ordinal) || name.StartsWith(AnswerPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The JSON answer held by one DATA message's <c>Answer/*</c> metrics, or null when it holds none. A member
    /// given twice (two values in one payload) keeps the later one, the machine's latest word.
    /// </summary>
    public static byte[]? ToAnswer(IEnumerable<SparkplugMetricUpdate> metrics)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var metric in metrics.Where(m => m.Name.StartsWith(AnswerPrefix, StringComparison.Ordinal)).OrderBy(m => m.Timestamp))
        {
            members[metric.Name[AnswerPrefix.Length..]] = metric.Value;
        }

        if (members.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in members)
            {
                json.WritePropertyName(name);
                Write(json, value);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case DateTimeOffset at:
                json.WriteNumberValue(at.ToUnixTimeMilliseconds());
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case ulong big:
                json.WriteNumberValue(big);
                break;
            case sbyte or short or int or long or byte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            default:
                // Arrays, data sets, templates, bytes and non-finite numbers are no answer member: the parser names what is wrong.
                json.WriteStringValue($"unsupported Sparkplug value ({value.GetType().Name})");
                break;
        }
    }
}
