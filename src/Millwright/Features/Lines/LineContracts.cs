using Millwright.Api;

namespace Millwright.Features.Lines;

internal sealed record LineInput(long? AreaId, string? Name, string? Description);

internal sealed record LineDto(long Id, long AreaId, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record LineQuery(int? Limit, long? After, long? AreaId, string? Name) : IListQuery;
