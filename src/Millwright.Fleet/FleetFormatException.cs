namespace Millwright.Fleet;

/// <summary>
/// The one refusal of the fleet's parsers: the input is not a geofence or feed document they accept. Carries every
/// problem found by field, so the REST layer answers with all of them in one RFC 9457 problem.
/// </summary>
internal sealed class FleetFormatException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static FleetFormatException Of(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
