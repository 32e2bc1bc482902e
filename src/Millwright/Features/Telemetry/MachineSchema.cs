using System.Globalization;
using Millwright.Features.MachineTypes;
using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>
/// What a machine's type says about its telemetry: the tags it reports, their data types and ranges, and
/// whether unexpected values are refused or stored and flagged. Checks run at admission, before anything is
/// queued, so a refused message changes nothing and its sender learns why.
/// </summary>
internal sealed class MachineSchema(IReadOnlyDictionary<string, TagDefinition> tags, bool rejectUnknown, bool rejectInvalid)
{
    public const string UnknownTag = "unknown tag";
    public const string OutOfRange = "out of range";
    public const string WrongType = "wrong data type";

    public TagDefinition? Tag(string name) => tags.GetValueOrDefault(name);

    /// <summary>Null when every reading may be stored (flags, if any, are added to <paramref name="flags"/>), else why not.</summary>
    public string? Check(IReadOnlyList<Reading> readings, long now, TelemetryOptions options, ref List<TelemetryFlag>? flags)
    {
        var latest = now + (long)options.FutureTolerance.TotalMilliseconds;
        var earliest = now - (long)options.LateWindow.TotalMilliseconds;
        foreach (var reading in readings)
        {
            if (reading.Timestamp > latest)
            {
                return $"'{reading.Tag}' at {Time(reading.Timestamp)} is more than {options.FutureTolerance.TotalMinutes:0.#} min ahead of the platform's clock ({Time(now)}); check the device clock";
            }

            if (reading.Timestamp < earliest)
            {
                return $"'{reading.Tag}' at {Time(reading.Timestamp)} is older than the late window of {options.LateWindow.TotalDays:0.#} days";
            }

            var problem = Problem(reading);
            if (problem is null)
            {
                continue;
            }

            var reject = problem == UnknownTag ? rejectUnknown : rejectInvalid;
            if (reject)
            {
                return problem == UnknownTag
                    ? $"'{reading.Tag}' is not a tag of this machine's type"
                    : $"'{reading.Tag}' = {reading.Value}: {problem} ({Expected(tags[reading.Tag])})";
            }

            (flags ??= []).Add(new TelemetryFlag(reading.Tag, problem, reading.Timestamp, reading.Value.ToString()));
        }

        return null;
    }

    private string? Problem(Reading reading)
    {
        if (!tags.TryGetValue(reading.Tag, out var tag))
        {
            return UnknownTag;
        }

        var value = reading.Value;
        if (value.Kind == TagValueKind.Number && !double.IsFinite(value.Number))
        {
            // A Modbus float register can hold NaN or infinity; no series stores them (SQLite keeps NaN as NULL).
            return WrongType;
        }

        var typeFits = tag.DataType switch
        {
            "float" => value.Kind == TagValueKind.Number,
            "int" => value.Kind == TagValueKind.Number && (double.IsNaN(value.Number) || value.Number == Math.Floor(value.Number)),
            "bool" => value.Kind == TagValueKind.Boolean || (value.Kind == TagValueKind.Number && value.Number is 0 or 1),
            _ => value.Kind == TagValueKind.Text,
        };
        if (!typeFits)
        {
            return WrongType;
        }

        return value.Kind == TagValueKind.Number && (value.Number < tag.Min || value.Number > tag.Max) ? OutOfRange : null;
    }

    private static string Expected(TagDefinition tag) => tag.Min.HasValue || tag.Max.HasValue
        ? string.Create(CultureInfo.InvariantCulture, $"{tag.DataType} from {tag.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} to {tag.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}")
        : tag.DataType;

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
