using Millwright.Api;

namespace Millwright.Features.Areas;

internal sealed record AreaInput(long? SiteId, string? Name, string? Description);

internal sealed record AreaDto(long Id, long SiteId, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record AreaQuery(int? Limit, long? After, long? SiteId, string? Name) : IListQuery;

internal sealed class AreaRow
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public AreaDto AsDto() => new(Id, SiteId, Name, Description,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
