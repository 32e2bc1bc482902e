namespace Millwright.Features.ApiKeys;

internal sealed record ApiKeyInput(string? Name, string? Role);

/// <summary>A key the platform admin mints for an existing tenant: why, in words the tenant's admins will read in their audit log.</summary>
internal sealed record TenantKeyInput(string? Name, string? Role, string? Reason);

internal sealed record ApiKeyDto(long Id, long? TenantId, string Name, string Role, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Returned once, when the key is created: only its hash is stored.</summary>
internal sealed record IssuedApiKey(long Id, long? TenantId, string Name, string Role, string Key, DateTimeOffset CreatedAt);

internal sealed class ApiKeyRow
{
    public long Id { get; set; }
    public long? TenantId { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? RevokedAt { get; set; }

    public ApiKeyDto AsDto() => new(Id, TenantId, Name, Role, CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
}
