using System.Collections.Concurrent;
using Dapper;
using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

/// <summary>
/// Per-tenant Sparkplug B settings (table sparkplug_settings). The ingest path asks for every birth, so answers are
/// cached; a change made through this node is seen at once, one made on another node within <see cref="CacheLife"/>.
/// </summary>
internal sealed class SparkplugSettings(IDatabase database, TimeProvider clock)
{
    private static readonly TimeSpan CacheLife = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, (bool Strict, DateTimeOffset At)> _cache = new();

    public async ValueTask<bool> StrictBirthsAsync(long tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(tenantId, out var cached) && now - cached.At < CacheLife)
        {
            return cached.Strict;
        }

        await using var connection = await database.OpenAsync(ct);
        var strict = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT strict_births FROM sparkplug_settings WHERE tenant_id = @tenantId", new { tenantId }, cancellationToken: ct)) ?? false;
        _cache[tenantId] = (strict, now);
        return strict;
    }

    public static async Task<SparkplugSettingsDto> GetAsync(Session s) =>
        new(await s.QueryOneAsync<bool?>("SELECT strict_births FROM sparkplug_settings WHERE tenant_id = @Tenant", new { s.Tenant }) ?? false);

    public async Task<SparkplugSettingsDto> PutAsync(Session s, SparkplugSettingsDto input)
    {
        var changed = await s.ExecuteAsync(
            "UPDATE sparkplug_settings SET strict_births = @StrictBirths, updated_at = @Now WHERE tenant_id = @Tenant",
            new { input.StrictBirths, s.Now, s.Tenant });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO sparkplug_settings (tenant_id, strict_births, updated_at) VALUES (@Tenant, @StrictBirths, @Now)",
                new { input.StrictBirths, s.Now, s.Tenant });
        }

        await s.AuditAsync("update", "sparkplug_settings", null, input.StrictBirths ? "strict births" : "lenient births");
        _cache.TryRemove(s.Tenant, out _);
        return input;
    }
}
