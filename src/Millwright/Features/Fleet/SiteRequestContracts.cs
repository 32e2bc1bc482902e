using System.Text.Json;

namespace Millwright.Features.Fleet;

/// <summary>A job site's request for one machine of a category with at least the given capabilities over [from, to).</summary>
internal sealed record SiteRequestInput(string? Site, string? Category, Dictionary<string, double>? MinCapabilities, double? Latitude, double? Longitude,
    DateTimeOffset? From, DateTimeOffset? To);

internal sealed record SiteRequestDto(long Id, string Site, string Category, IReadOnlyDictionary<string, double> MinCapabilities, double Latitude, double Longitude,
    DateTimeOffset From, DateTimeOffset To, string Status, DateTimeOffset UpdatedAt)
{
    public SiteRequest ToModel() => new(Id, Category, MinCapabilities, Latitude, Longitude, From.ToUnixTimeMilliseconds(), To.ToUnixTimeMilliseconds());
}

internal sealed class SiteRequestRow
{
    public long Id { get; set; }
    public string Site { get; set; } = "";
    public string Category { get; set; } = "";
    public string MinCapabilities { get; set; } = "{}";
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public long StartsAt { get; set; }
    public long EndsAt { get; set; }
    public string Status { get; set; } = "";
    public long UpdatedAt { get; set; }

    public SiteRequestDto AsDto() => new(Id, Site, Category, JsonSerializer.Deserialize<Dictionary<string, double>>(MinCapabilities) ?? [], Latitude, Longitude,
        DateTimeOffset.FromUnixTimeMilliseconds(StartsAt), DateTimeOffset.FromUnixTimeMilliseconds(EndsAt), Status, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
