using System.Text.Json;

namespace Millwright.Features.Tailoring;

/// <summary>A customer as <see cref="TailoringStore"/> reads it; measurements are JSON objects of name to mm.</summary>
internal sealed class CustomerRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Sex { get; set; } = "";
    public string Given { get; set; } = "{}";
    public string Completed { get; set; } = "{}";
    public string? Warnings { get; set; }
    public long CreatedAt { get; set; }

    public IReadOnlyDictionary<string, double> GivenValues => Read(Given);

    public IReadOnlyDictionary<string, double> CompletedValues => Read(Completed);

    public CustomerDto AsDto() => new(
        Id, Name, Sex, GivenValues, CompletedValues, Warnings is null ? [] : JsonSerializer.Deserialize<List<string>>(Warnings) ?? [],
        Sizes.Of(BodyModels.ParseSex(Sex)!.Value, CompletedValues), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));

    private static Dictionary<string, double> Read(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [], StringComparer.OrdinalIgnoreCase);
}
