using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.DeviceCredentials;

/// <summary>
/// Checks a device's username and secret. The credential row is read on every call, so revocation takes
/// effect at once; only the PBKDF2 step is remembered (per stored hash), because a device posting over
/// HTTP every second must not cost 100k hash iterations each time.
/// </summary>
internal sealed class DeviceAuthenticator(IDatabase database)
{
    // Bounds the memory of the cache; past it, the cache starts over (one PBKDF2 per device again).
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    /// <summary>The identity for a valid, unrevoked credential; null for an unknown, revoked or wrong one alike.</summary>
    public async Task<DeviceIdentity?> AuthenticateAsync(string username, string secret, CancellationToken cancellationToken = default)
    {
        if (username.Length is 0 or > 64 || secret.Length is 0 or > 256)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            """
            SELECT c.tenant_id, t.slug AS tenant_slug, c.machine_id, m.name AS machine_name, c.secret_hash
            FROM device_credentials c
            JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
            JOIN tenants t ON t.id = c.tenant_id
            WHERE c.username = @username AND c.revoked_at IS NULL
            """,
            new { username }, cancellationToken: cancellationToken));
        if (row is null || !Verify(secret, row.SecretHash))
        {
            return null;
        }

        return new DeviceIdentity(row.TenantId, row.TenantSlug, row.MachineId, row.MachineName, username);
    }

    private bool Verify(string secret, string storedHash)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verified.TryGetValue(storedHash, out var known))
        {
            return CryptographicOperations.FixedTimeEquals(known, digest);
        }

        if (!Secrets.VerifyDeviceSecret(secret, storedHash))
        {
            return false;
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[storedHash] = digest;
        return true;
    }

    private sealed class CredentialRow
    {
        public long TenantId { get; set; }
        public string TenantSlug { get; set; } = "";
        public long MachineId { get; set; }
        public string MachineName { get; set; } = "";
        public string SecretHash { get; set; } = "";
    }
}
