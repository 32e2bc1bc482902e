using System.Globalization;
using System.Text.Json;
using Millwright.Sparkplug;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// The command contract over Sparkplug B as a machine sees it (docs/sparkplug.md, "Commands"): an NCMD whose
/// metrics are named <c>Command/{member}</c> is one command, read back into the JSON object the platform sent; an
/// answer goes out in NDATA as <c>Answer/{member}</c> metrics, which the node declares in its NBIRTH (a DATA
/// message may carry only metrics of the birth).
/// </summary>
internal static class SparkplugJobs
{
    public const string CommandPrefix = "Command/";
    public const string AnswerPrefix = "Answer/";

    /// <summary>The answer members a job-taking node declares, with their types; others in an answer are not sent.</summary>
    public static readonly IReadOnlyDictionary<string, SparkplugDataType> AnswerMetrics = new Dictionary<string, SparkplugDataType>(StringComparer.Ordinal)
    {
        ["commandId"] = SparkplugDataType.String, ["jobId"] = SparkplugDataType.Int64, ["status"] = SparkplugDataType.String,
        ["reason"] = SparkplugDataType.String, ["good"] = SparkplugDataType.Int64, ["scrap"] = SparkplugDataType.Int64,
    };

    /// <summary>Birth metrics of the answer channel: declared, with no value yet.</summary>
    public static IEnumerable<SparkplugMetricValue> BirthMetrics(DateTimeOffset at) =>
        AnswerMetrics.Select(a => new SparkplugMetricValue(AnswerPrefix + a.Key, a.Value, null, at));

    /// <summary>The command an NCMD carries, as JSON, or null when it has no Command/ metric (a rebirth request).</summary>
    public static byte[]? ToCommand(SparkplugMessage message)
    {
        var members = message.Metrics.Where(m => m.Name?.StartsWith(CommandPrefix, StringComparison.Ordinal) == true).ToList();
        if (members.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var metric in members)
            {
                json.WritePropertyName(metric.Name![CommandPrefix.Length..]);
                switch (metric.IsNull ? null : metric.Value)
                {
                    case null: json.WriteNullValue(); break;
                    case string text: json.WriteStringValue(text); break;
                    case bool flag: json.WriteBooleanValue(flag); break;
                    case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                    case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
                    case long or int or short or sbyte or uint or ushort or byte: json.WriteNumberValue(Convert.ToInt64(metric.Value, CultureInfo.InvariantCulture)); break;
                    case ulong big: json.WriteNumberValue(big); break;
                    default: json.WriteStringValue(Convert.ToString(metric.Value, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The NDATA values of an answer's JSON: its members the birth declared, in their types.</summary>
    public static IReadOnlyList<SparkplugDataValue> ToAnswer(byte[] answer, DateTimeOffset at)
    {
        using var json = JsonDocument.Parse(answer);
        var values = new List<SparkplugDataValue>();
        foreach (var member in json.RootElement.EnumerateObject())
        {
            if (!AnswerMetrics.TryGetValue(member.Name, out var type))
            {
                continue;
            }

            object? value = type == SparkplugDataType.Int64
                ? member.Value.TryGetInt64(out var whole) ? whole : null
                : member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText();
            values.Add(new SparkplugDataValue(AnswerPrefix + member.Name, value, at));
        }

        return values;
    }
}
