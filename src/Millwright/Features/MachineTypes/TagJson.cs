using System.Text.Json;
using System.Text.Json.Serialization;

namespace Millwright.Features.MachineTypes;

/// <summary>Tags are stored as one JSON column: they are read and written with their type, never queried alone.</summary>
internal static class TagJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(IReadOnlyList<TagDefinition> tags) => JsonSerializer.Serialize(tags, Options);

    public static IReadOnlyList<TagDefinition> Parse(string json) => JsonSerializer.Deserialize<List<TagDefinition>>(json, Options) ?? [];
}
