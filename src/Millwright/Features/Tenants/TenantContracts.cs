using Millwright.Api;

namespace Millwright.Features.Tenants;

/// <summary>Slug names the tenant in MQTT topics (mw/{slug}/...); name is for people.</summary>
internal sealed record TenantInput(string? Slug, string? Name);

internal sealed record TenantDto(long Id, string Slug, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record TenantQuery(int? Limit, long? After, string? Name) : IListQuery;

internal sealed class TenantRow
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public TenantDto AsDto() => new(Id, Slug, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
