using Millwright.Api;

namespace Millwright.Features.Lines;

internal sealed record LineInput(long? AreaId, string? Name, string? Description);

internal sealed record LineDto(long Id, long AreaId, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record LineQuery(int? Limit, long? After, long? AreaId, string? Name) : IListQuery;

internal sealed class LineRow
{
    public long Id { get; set; }
    public long AreaId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public LineDto AsDto() => new(Id, AreaId, Name, Description,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
