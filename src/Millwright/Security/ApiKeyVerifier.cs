using Dapper;
using Millwright.Storage;

namespace Millwright.Security;

/// <summary>Turns a presented API key into its caller, for HTTP requests and MQTT logins alike.</summary>
internal sealed class ApiKeyVerifier(IDatabase database)
{
    private const int MaxKeyLength = 200;

    /// <summary>The caller, or null with the reason the key was refused.</summary>
    public async Task<(Caller? Caller, string? Refusal)> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length > MaxKeyLength || !Secrets.TrySplitApiKey(key, out var publicId, out _))
        {
            return (null, "The API key is malformed; keys look like mwk_<id>_<secret>.");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            "SELECT id, tenant_id, name, role, secret_hash, revoked_at FROM api_keys WHERE public_id = @publicId",
            new { publicId }, cancellationToken: cancellationToken));
        if (row is null || row.RevokedAt is not null || !Secrets.VerifyApiKey(key, row.SecretHash) || !Roles.TryParse(row.Role, out var role))
        {
            return (null, "The API key is unknown or revoked.");
        }

        return (new Caller(row.Id, row.Name, row.TenantId, role), null);
    }

    private sealed class KeyRow
    {
        public long Id { get; set; }
        public long? TenantId { get; set; }
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string SecretHash { get; set; } = "";
        public long? RevokedAt { get; set; }
    }
}
