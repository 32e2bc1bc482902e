using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The machines of a site, area or line, cached: a big screen asks for a whole site's latest values every
/// second, and the plant's layout changes rarely. An entry is stale after any committed registry change in this
/// process (<see cref="RegistryChanges"/>) and after <see cref="MaxAge"/>, which bounds how long another
/// node's change can go unseen when several nodes share one PostgreSQL.
/// </summary>
internal sealed class MachineScopes(IDatabase database, RegistryChanges changes, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    // Entries are small (ids and names); the bound keeps a client that walks every id from growing the cache.
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<Scope, Entry> _entries = new();

    /// <summary>The tenant's machines among <paramref name="ids"/>, by id; not cached (the list is the caller's).</summary>
    public async ValueTask<IReadOnlyList<(long Id, string Name)>> FindAsync(long tenant, IReadOnlyList<long> ids, CancellationToken ct)
    {
        // Parameters spelled out: Dapper hands Npgsql a list as one array, which "IN" does not take.
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { tenant });
        for (var i = 0; i < distinct.Length; i++)
        {
            parameters.Add("i" + i.ToString(CultureInfo.InvariantCulture), distinct[i]);
        }

        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            $"SELECT id, name FROM machines WHERE tenant_id = @tenant AND id IN ({string.Join(", ", distinct.Select((_, i) => "@i" + i.ToString(CultureInfo.InvariantCulture)))}) ORDER BY id",
            parameters, cancellationToken: ct))];
    }

    /// <summary>The tenant's machines in the scope (null parts match anything), by id; at most <paramref name="take"/>.</summary>
    public async ValueTask<IReadOnlyList<(long Id, string Name)>> ListAsync(long tenant, long? site, long? area, long? line, int take, CancellationToken ct)
    {
        var scope = new Scope(tenant, site, area, line, take);
        var generation = changes.Generation;
        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(scope, out var cached) && cached.Generation == generation && clock.GetElapsedTime(cached.Loaded, now) < MaxAge)
        {
            return cached.Machines;
        }

        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            """
            SELECT m.id, m.name FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @tenant AND (@site IS NULL OR a.site_id = @site) AND (@area IS NULL OR a.id = @area)
              AND (@line IS NULL OR l.id = @line)
            ORDER BY m.id LIMIT @take
            """,
            new { tenant, site, area, line, take }, cancellationToken: ct))).ToArray();

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[scope] = new Entry(generation, now, rows);
        return rows;
    }

    private readonly record struct Scope(long Tenant, long? Site, long? Area, long? Line, int Take);

    private sealed record Entry(long Generation, long Loaded, (long Id, string Name)[] Machines);
}
