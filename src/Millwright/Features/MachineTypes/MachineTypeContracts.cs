using Millwright.Api;

namespace Millwright.Features.MachineTypes;

/// <summary>A tag as a client sends it; every field optional so that a missing one is reported by name.</summary>
internal sealed record TagInput(string? Name, string? Description, string? Unit, string? DataType, string? Kind, double? Min, double? Max);

/// <summary>
/// One value a machine reports. DataType is float, int, bool or string; Kind is gauge (a level) or
/// counter (a monotonically increasing total, such as a part counter or an energy meter).
/// </summary>
internal sealed record TagDefinition(string Name, string? Description, string? Unit, string DataType, string Kind, double? Min, double? Max);

internal sealed record MachineTypeInput(string? Name, string? Description, IReadOnlyList<TagInput>? Tags);

internal sealed record MachineTypeDto(
    long Id, string Name, string? Description, IReadOnlyList<TagDefinition> Tags,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record MachineTypeQuery(int? Limit, long? After, string? Name) : IListQuery;

internal sealed class MachineTypeRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Tags { get; set; } = "[]";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public MachineTypeDto AsDto() => new(Id, Name, Description, TagJson.Parse(Tags),
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
