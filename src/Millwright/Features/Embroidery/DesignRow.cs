using System.Text.Json;

namespace Millwright.Features.Embroidery;

/// <summary>A design as <see cref="EmbroideryStore"/> reads it.</summary>
internal sealed class DesignRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Fabric { get; set; } = "";
    public string SourceSha256 { get; set; } = "";
    public string DstSha256 { get; set; } = "";
    public long DstBytes { get; set; }
    public double WidthMm { get; set; }
    public double HeightMm { get; set; }
    public long Stitches { get; set; }
    public long ColourChanges { get; set; }
    public long Trims { get; set; }
    public long Jumps { get; set; }
    public string Threads { get; set; } = "[]";
    public long RunSeconds { get; set; }
    public string? Warnings { get; set; }
    public long CreatedAt { get; set; }

    public IReadOnlyList<string> ThreadList => JsonSerializer.Deserialize<List<string>>(Threads) ?? [];

    public DesignDto AsDto(EmbroideryOptions options) => new(
        Id, Name, Fabric, DstSha256, SourceSha256, DstBytes, WidthMm, HeightMm, Stitches, ColourChanges, Trims, Jumps, ThreadList, RunSeconds,
        EmbroideryPrice.Of(this, options), Warnings is null ? [] : JsonSerializer.Deserialize<List<string>>(Warnings) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        new DesignLinks($"{EmbroideryApi.Designs}/{Id}/preview.png", $"{EmbroideryApi.Designs}/{Id}/preview.svg", $"{EmbroideryApi.Designs}/{Id}/dst", StitchFiles.PathOf(DstSha256)));
}
