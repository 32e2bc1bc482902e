using Millwright.Api;

namespace Millwright.Features.Areas;

internal sealed record AreaInput(long? SiteId, string? Name, string? Description);

internal sealed record AreaDto(long Id, long SiteId, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record AreaQuery(int? Limit, long? After, long? SiteId, string? Name) : IListQuery;
