using System.Text.Json;

namespace Millwright.Features.Embroidery;

/// <summary>A machine's set-up as <see cref="EmbroideryStore"/> reads it.</summary>
internal sealed class SetupRow
{
    public long MachineId { get; set; }
    public long StitchesPerMinute { get; set; }
    public double TrimSeconds { get; set; }
    public double ColourChangeSeconds { get; set; }
    public double RethreadSeconds { get; set; }
    public string Needles { get; set; } = "[]";
    public long UpdatedAt { get; set; }
    public long Heads { get; set; } = 1;

    public MachineSetup AsSetup() => new(MachineId, true, (int)StitchesPerMinute, TrimSeconds, ColourChangeSeconds, RethreadSeconds,
        JsonSerializer.Deserialize<List<string?>>(Needles) ?? [], DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt), (int)Heads);
}
