using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Millwright.Bench.Cluster;

/// <summary>The cluster's membership and leases as PostgreSQL holds them, read by the benchmark from outside the nodes.</summary>
internal sealed class LeaseWatch(string connectionString, string cluster) : IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>The process id of the node holding the ingest lease (the store's appender), or 0.</summary>
    public async Task<int> AppenderPidAsync(CancellationToken ct)
    {
        await using var command = _source.CreateCommand("SELECT owner FROM cluster_leases WHERE cluster = $1 AND owner IS NOT NULL");
        command.Parameters.AddWithValue(cluster + ".ingest");
        return await command.ExecuteScalarAsync(ct) is string owner ? PidOf(owner) : 0;
    }

    /// <summary>The node ids (host-pid-random) of these processes.</summary>
    public async Task<List<string>> NodeIdsAsync(IEnumerable<int> pids, CancellationToken ct)
    {
        await using var command = _source.CreateCommand("SELECT node_id FROM cluster_nodes WHERE cluster = $1");
        command.Parameters.AddWithValue(cluster);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        var wanted = pids.ToHashSet();
        return ids.Where(id => wanted.Contains(PidOf(id))).ToList();
    }

    /// <summary>
    /// Seconds from <paramref name="killedAt"/> until no bucket of the cluster (nor its ingest lease) is held by a dead
    /// node, free or run out: each has a live owner again. Null if that takes longer than <paramref name="limit"/>.
    /// </summary>
    public async Task<double?> AwaitTakeoverAsync(IReadOnlyList<string> dead, long killedAt, TimeSpan limit, CancellationToken ct)
    {
        await using var command = _source.CreateCommand(
            "SELECT count(*) FROM cluster_leases WHERE cluster IN ($1, $2) AND (owner IS NULL OR owner = ANY($3) OR expires_at < $4)");
        command.Parameters.AddWithValue(cluster);
        command.Parameters.AddWithValue(cluster + ".ingest");
        command.Parameters.AddWithValue(dead.ToArray());
        var now = command.Parameters.AddWithValue(0L);
        while (Stopwatch.GetElapsedTime(killedAt) < limit)
        {
            now.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if ((long)(await command.ExecuteScalarAsync(ct))! == 0)
            {
                return Stopwatch.GetElapsedTime(killedAt).TotalSeconds;
            }

            await Task.Delay(50, ct);
        }

        return null;
    }

    public void Dispose() => _source.Dispose();

    private static int PidOf(string nodeId)
    {
        // host-pid-random: the host may hold dashes itself, the last two parts never do.
        var parts = nodeId.Split('-');
        return parts.Length >= 3 && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }
}
