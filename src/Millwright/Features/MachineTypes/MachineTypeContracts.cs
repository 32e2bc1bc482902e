using Millwright.Api;

namespace Millwright.Features.MachineTypes;

/// <summary>A tag as a client sends it; every field optional so that a missing one is reported by name.</summary>
internal sealed record TagInput(string? Name, string? Description, string? Unit, string? DataType, string? Kind, double? Min, double? Max, double? Wrap = null);

/// <summary>
/// One value a machine reports. DataType is float, int, bool or string; Kind is gauge (a level) or
/// counter (a monotonically increasing total, such as a part counter or an energy meter). Wrap is the
/// modulus of a counter that rolls over (65536 for a 16-bit register), so increases stay right across it.
/// </summary>
internal sealed record TagDefinition(string Name, string? Description, string? Unit, string DataType, string Kind, double? Min, double? Max, double? Wrap = null);

/// <summary>
/// What telemetry does with values the type does not expect. UnknownTags: a tag the type does not list;
/// InvalidValues: a value outside its tag's range or of another data type. "reject" refuses the whole
/// message with the reason (the device sees it); "flag" stores it and counts it in the machine's telemetry flags.
/// </summary>
internal sealed record MachineTypeInput(string? Name, string? Description, IReadOnlyList<TagInput>? Tags, string? UnknownTags = null, string? InvalidValues = null);

internal sealed record MachineTypeDto(
    long Id, string Name, string? Description, IReadOnlyList<TagDefinition> Tags, string UnknownTags, string InvalidValues,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record MachineTypeQuery(int? Limit, long? After, string? Name) : IListQuery;

internal sealed class MachineTypeRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Tags { get; set; } = "[]";
    public string UnknownTags { get; set; } = TelemetryPolicy.Flag;
    public string InvalidValues { get; set; } = TelemetryPolicy.Flag;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public MachineTypeDto AsDto() => new(Id, Name, Description, TagJson.Parse(Tags), UnknownTags, InvalidValues,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
