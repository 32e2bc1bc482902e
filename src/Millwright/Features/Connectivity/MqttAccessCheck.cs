using System.Globalization;
using Dapper;
using Millwright.Mqtt.Server;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

/// <summary>
/// Checks MQTT clients against the store as their login would today: a device's credential is unrevoked and
/// its machine and tenant still exist under the same names; an API key is unrevoked and its tenant still has
/// the slug the client's topics were checked against. A few queries per 500 clients, whatever their number.
/// </summary>
internal static class MqttAccessCheck
{
    private const int Chunk = 500;

    /// <summary>The clients among <paramref name="clients"/> that would no longer be let in, or in under other topics.</summary>
    public static Task<List<MqttClient>> FindRevokedAsync(IDatabase database, IReadOnlyList<MqttClient> clients, CancellationToken cancellationToken) =>
        FindRevokedAsync(database, clients, c => MqttLogin.Of(c.Principal), cancellationToken);

    /// <summary>The items among <paramref name="items"/> whose login would no longer be let in, or in under other topics.</summary>
    public static async Task<List<T>> FindRevokedAsync<T>(IDatabase database, IReadOnlyList<T> items, Func<T, MqttLogin?> loginOf, CancellationToken cancellationToken)
    {
        var revoked = new List<T>();
        var devices = items.Select(i => (Item: i, Login: loginOf(i))).Where(x => x.Login is { MachineId: not null }).Select(x => (x.Item, Login: x.Login!)).ToList();
        var keys = items.Select(i => (Item: i, Login: loginOf(i))).Where(x => x.Login is { KeyId: not null }).Select(x => (x.Item, Login: x.Login!)).ToList();
        if (devices.Count == 0 && keys.Count == 0)
        {
            return revoked;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in devices.Chunk(Chunk))
        {
            var ids = chunk.Select(c => c.Login.MachineId!.Value).Distinct().ToList();
            var current = (await connection.QueryAsync<DeviceRow>(new CommandDefinition(
                $"""
                SELECT c.username, c.tenant_id, t.slug AS tenant_slug, c.machine_id, m.name AS machine_name
                FROM device_credentials c
                JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
                JOIN tenants t ON t.id = c.tenant_id
                WHERE c.revoked_at IS NULL AND c.machine_id IN ({IdList(ids)})
                """, cancellationToken: cancellationToken))).ToList();
            revoked.AddRange(chunk.Where(c => !current.Any(r =>
                r.Username == c.Login.Username && r.TenantId == c.Login.TenantId && r.MachineId == c.Login.MachineId
                && r.TenantSlug == c.Login.TenantSlug && r.MachineName == c.Login.MachineName)).Select(c => c.Item));
        }

        foreach (var chunk in keys.Chunk(Chunk))
        {
            var ids = chunk.Select(c => c.Login.KeyId!.Value).Distinct().ToList();
            var current = (await connection.QueryAsync<KeyRow>(new CommandDefinition(
                $"""
                SELECT k.id, t.slug
                FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
                WHERE k.revoked_at IS NULL AND k.id IN ({IdList(ids)})
                """, cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.Slug);
            revoked.AddRange(chunk.Where(c => !current.TryGetValue(c.Login.KeyId!.Value, out var slug) || slug != c.Login.TenantSlug).Select(c => c.Item));
        }

        return revoked;
    }

    /// <summary>Ids written into the statement: 64-bit integers, so only digits and commas reach the SQL, and one text serves both stores.</summary>
    private static string IdList(IEnumerable<long> ids) => string.Join(",", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private sealed class DeviceRow
    {
        public string Username { get; set; } = "";
        public long TenantId { get; set; }
        public string TenantSlug { get; set; } = "";
        public long MachineId { get; set; }
        public string MachineName { get; set; } = "";
    }

    private sealed class KeyRow
    {
        public long Id { get; set; }
        public string Slug { get; set; } = "";
    }
}
