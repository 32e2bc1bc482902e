using System.Text.Json;

namespace Millwright.Features.Fleet;

/// <summary>What the allocation needs of a fleet machine: its category (machine type), capabilities and daily rate.</summary>
internal sealed record AllocationProfileInput(string? Category, Dictionary<string, double>? Capabilities, double? DailyRate);

internal sealed record AllocationProfileDto(long MachineId, string Category, IReadOnlyDictionary<string, double> Capabilities, double DailyRate, DateTimeOffset UpdatedAt);

internal sealed class AllocationProfileRow
{
    public long MachineId { get; set; }
    public string Category { get; set; } = "";
    public string Capabilities { get; set; } = "{}";
    public double DailyRate { get; set; }
    public long UpdatedAt { get; set; }

    public AllocationProfileDto AsDto() =>
        new(MachineId, Category, JsonSerializer.Deserialize<Dictionary<string, double>>(Capabilities) ?? [], DailyRate, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
