using Millwright.Api;
using Millwright.Features.Machines;
using Millwright.Security;

namespace Millwright.Features.DeviceCredentials;

/// <summary>
/// A machine's identity for connecting (MQTT username and password, HTTP basic auth). Issuing a new
/// credential revokes the machine's earlier ones, so a machine has at most one that works.
/// </summary>
internal static class DeviceCredentials
{
    private const string Columns = "id, machine_id, username, created_at, revoked_at";

    public static async Task<IssuedDeviceCredential> IssueAsync(Session s, long machineId)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var revoked = await s.ExecuteAsync(
            "UPDATE device_credentials SET revoked_at = @Now WHERE tenant_id = @Tenant AND machine_id = @machineId AND revoked_at IS NULL",
            new { s.Now, s.Tenant, machineId });
        var username = Secrets.NewDeviceUsername();
        var secret = Secrets.NewDeviceSecret();
        var createdAt = s.Now;
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO device_credentials (tenant_id, machine_id, username, secret_hash, created_at)
            VALUES (@Tenant, @machineId, @username, @hash, @createdAt) RETURNING id
            """,
            new { s.Tenant, machineId, username, hash = Secrets.HashDeviceSecret(secret), createdAt });
        await s.AuditAsync("issue", "device_credential", id,
            $"issued credential '{username}' for machine '{machine.Name}'" + (revoked > 0 ? $", revoking {revoked} earlier" : ""));
        if (revoked > 0)
        {
            s.AccessChanged(AccessChange.OfMachine(s.Tenant, machineId));
        }

        return new IssuedDeviceCredential(id, machineId, username, secret, DateTimeOffset.FromUnixTimeMilliseconds(createdAt));
    }

    public static async Task<IReadOnlyList<DeviceCredentialDto>> ListAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        var rows = await s.QueryAsync<DeviceCredentialRow>(
            $"SELECT {Columns} FROM device_credentials WHERE tenant_id = @Tenant AND machine_id = @machineId ORDER BY id",
            new { s.Tenant, machineId });
        return rows.Select(r => r.AsDto()).ToList();
    }

    public static async Task RevokeAsync(Session s, long machineId, long id)
    {
        var row = await s.QueryOneAsync<DeviceCredentialRow>(
            $"SELECT {Columns} FROM device_credentials WHERE tenant_id = @Tenant AND machine_id = @machineId AND id = @id",
            new { s.Tenant, machineId, id }) ?? throw ApiProblem.NotFound("device credential", id);
        if (row.RevokedAt is null)
        {
            await s.ExecuteAsync("UPDATE device_credentials SET revoked_at = @Now WHERE tenant_id = @Tenant AND id = @id", new { s.Now, s.Tenant, id });
            await s.AuditAsync("revoke", "device_credential", id, $"revoked credential '{row.Username}'");
            s.AccessChanged(AccessChange.OfMachine(s.Tenant, machineId));
        }
    }
}
