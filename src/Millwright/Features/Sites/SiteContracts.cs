using Millwright.Api;

namespace Millwright.Features.Sites;

internal sealed record SiteInput(string? Name, string? Description, string? TimeZone, double? Latitude, double? Longitude);

internal sealed record SiteDto(
    long Id, string Name, string? Description, string TimeZone, double? Latitude, double? Longitude,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record SiteQuery(int? Limit, long? After, string? Name) : IListQuery;

internal sealed class SiteRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string TimeZone { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public SiteDto AsDto() => new(Id, Name, Description, TimeZone, Latitude, Longitude,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
