using Millwright.Api;

namespace Millwright.Features.Machines;

/// <summary>Name is the device id in MQTT topics (mw/{tenant}/{name}/...), so it is a slug, unique per tenant.</summary>
internal sealed record MachineInput(long? LineId, long? TypeId, string? Name, string? Description);

internal sealed record MachineDto(
    long Id, long LineId, long TypeId, string Name, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record MachineQuery(int? Limit, long? After, long? SiteId, long? AreaId, long? LineId, long? TypeId, string? Name) : IListQuery;

internal sealed class MachineRow
{
    public long Id { get; set; }
    public long LineId { get; set; }
    public long TypeId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public MachineDto AsDto() => new(Id, LineId, TypeId, Name, Description,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
