namespace Millwright.Features.Hierarchy;

/// <summary>A row of a level under a parent (an area of a site, a line of an area), as the shared SQL reads it.</summary>
internal sealed class ChildRow
{
    public long Id { get; set; }
    public long ParentId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt);

    public DateTimeOffset Updated => DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt);
}
