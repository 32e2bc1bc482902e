using System.Data.Common;
using Dapper;

namespace Millwright.Features.Cluster;

/// <summary>
/// The cluster's SQL (PostgreSQL only: arrays, unnest, row locks). Each method is one statement or one
/// transaction, so a node that dies half-way leaves either the old or the new holder, never a mixture.
/// </summary>
internal static class ClusterStore
{
    public static Task CreateBucketsAsync(DbConnection c, string cluster, int buckets) =>
        c.ExecuteAsync(
            "INSERT INTO cluster_leases (cluster, bucket) SELECT @cluster, b FROM generate_series(0, @last) AS b ON CONFLICT DO NOTHING",
            new { cluster, last = buckets - 1 });

    public static Task<int> BucketCountAsync(DbConnection c, string cluster) =>
        c.ExecuteScalarAsync<int>("SELECT COUNT(*)::int FROM cluster_leases WHERE cluster = @cluster", new { cluster });

    public static Task HeartbeatAsync(DbConnection c, string cluster, string node, long now, DbTransaction? tx = null) =>
        c.ExecuteAsync(
            """
            INSERT INTO cluster_nodes (cluster, node_id, started_at, heartbeat_at, left_at) VALUES (@cluster, @node, @now, @now, NULL)
            ON CONFLICT (cluster, node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, left_at = NULL
            """,
            new { cluster, node, now }, tx);

    /// <summary>
    /// Live nodes of clusters other than <paramref name="family"/> and its role ("family.ingest"), as "cluster
    /// (node)": a store serves one cluster at a time. Names are compared exactly: "east.2" is another cluster than
    /// "east", not a role of it.
    /// </summary>
    public static async Task<List<string>> OtherLiveClustersAsync(DbConnection c, DbTransaction tx, string family, long cutoff) =>
        (await c.QueryAsync<string>(
            """
            SELECT cluster || ' (node ' || node_id || ')' FROM cluster_nodes
            WHERE left_at IS NULL AND heartbeat_at > @cutoff AND cluster <> @family AND cluster <> @role
            ORDER BY cluster, node_id
            """,
            new { family, role = family + ClusterOptions.IngestRole, cutoff }, tx)).AsList();

    /// <summary>The clusters with a node that heartbeat after <paramref name="cutoff"/> and has not left, with one such node each.</summary>
    public static async Task<List<string>> LiveClustersAsync(DbConnection c, long cutoff) =>
        (await c.QueryAsync<string>(
            """
            SELECT cluster || ' (node ' || MIN(node_id) || ')' FROM cluster_nodes
            WHERE left_at IS NULL AND heartbeat_at > @cutoff
            GROUP BY cluster ORDER BY cluster
            """,
            new { cutoff })).AsList();

    public static Task LeftAsync(DbConnection c, string cluster, string node, long now) =>
        c.ExecuteAsync("UPDATE cluster_nodes SET left_at = @now WHERE cluster = @cluster AND node_id = @node", new { cluster, node, now });

    /// <summary>Nodes that heartbeat after <paramref name="cutoff"/> and have not left, in id order.</summary>
    public static async Task<List<string>> LiveNodesAsync(DbConnection c, string cluster, long cutoff) =>
        (await c.QueryAsync<string>(
            "SELECT node_id FROM cluster_nodes WHERE cluster = @cluster AND left_at IS NULL AND heartbeat_at > @cutoff ORDER BY node_id",
            new { cluster, cutoff })).AsList();

    /// <summary>Who holds each bucket whose lease has not run out: where a node sends work for a machine it does not own.</summary>
    public static async Task<Dictionary<int, string>> HoldersAsync(DbConnection c, string cluster, long now) =>
        (await c.QueryAsync<(int Bucket, string Owner)>(
            "SELECT bucket, owner FROM cluster_leases WHERE cluster = @cluster AND owner IS NOT NULL AND expires_at > @now",
            new { cluster, now })).ToDictionary(r => r.Bucket, r => r.Owner);

    /// <summary>Extends the leases still held with the same token and not yet run out; returns the buckets renewed.</summary>
    public static async Task<HashSet<int>> RenewAsync(DbConnection c, string cluster, string node, IReadOnlyCollection<BucketLease> held, long now, long expiresAt)
    {
        var renewed = await c.QueryAsync<int>(
            """
            UPDATE cluster_leases l SET expires_at = @expiresAt
            FROM unnest(@buckets, @tokens) AS h(bucket, token)
            WHERE l.cluster = @cluster AND l.bucket = h.bucket AND l.token = h.token AND l.owner = @node AND l.expires_at > @now
            RETURNING l.bucket
            """,
            new { cluster, node, now, expiresAt, buckets = held.Select(l => l.Bucket).ToArray(), tokens = held.Select(l => l.Token).ToArray() });
        return [.. renewed];
    }

    /// <summary>Gives up the buckets (only those still held with these tokens) and logs each hand-over.</summary>
    public static async Task<List<int>> ReleaseAsync(DbConnection c, string cluster, string node, IReadOnlyCollection<BucketLease> leases, string reason, long now)
    {
        await using var tx = await c.BeginTransactionAsync();
        var released = (await c.QueryAsync<(int Bucket, long Token)>(
            """
            UPDATE cluster_leases l SET owner = NULL, expires_at = 0
            FROM unnest(@buckets, @tokens) AS h(bucket, token)
            WHERE l.cluster = @cluster AND l.bucket = h.bucket AND l.token = h.token AND l.owner = @node
            RETURNING l.bucket, l.token
            """,
            new { cluster, node, buckets = leases.Select(l => l.Bucket).ToArray(), tokens = leases.Select(l => l.Token).ToArray() }, tx)).AsList();
        await c.ExecuteAsync(
            """
            INSERT INTO cluster_handovers (cluster, bucket, from_node, to_node, token, reason, at)
            SELECT @cluster, h.bucket, @node, NULL, h.token, @reason, @now FROM unnest(@buckets, @tokens) AS h(bucket, token)
            """,
            new { cluster, node, reason, now, buckets = released.Select(r => r.Bucket).ToArray(), tokens = released.Select(r => r.Token).ToArray() }, tx);
        await tx.CommitAsync();
        return released.Select(r => r.Bucket).ToList();
    }

    /// <summary>
    /// Takes those of <paramref name="wanted"/> that are free (released) or whose lease ran out, each with a
    /// larger token, in one transaction that locks the rows first. A row locked by someone else (another taker, or
    /// the holder's fenced write still in progress) is skipped and tried again at the next tick: the tick never
    /// waits on another node, and a write in progress commits before its bucket changes hands. Returns the leases
    /// taken and who held each before.
    /// </summary>
    public static async Task<List<(BucketLease Lease, string? From, string Reason)>> AcquireAsync(
        DbConnection c, string cluster, string node, int[] wanted, long now, long expiresAt)
    {
        await using var tx = await c.BeginTransactionAsync();
        var rows = await c.QueryAsync<(int Bucket, string? Owner, long Token, long ExpiresAt)>(
            "SELECT bucket, owner, token, expires_at FROM cluster_leases WHERE cluster = @cluster AND bucket = ANY(@wanted) ORDER BY bucket FOR UPDATE SKIP LOCKED",
            new { cluster, wanted }, tx);
        var free = rows.Where(r => r.Owner is null || r.ExpiresAt <= now || r.Owner == node).ToList();
        if (free.Count == 0)
        {
            await tx.RollbackAsync();
            return [];
        }

        var taken = (await c.QueryAsync<(int Bucket, long Token)>(
            """
            UPDATE cluster_leases SET owner = @node, token = token + 1, expires_at = @expiresAt
            WHERE cluster = @cluster AND bucket = ANY(@buckets) RETURNING bucket, token
            """,
            new { cluster, node, expiresAt, buckets = free.Select(r => r.Bucket).ToArray() }, tx)).ToDictionary(r => r.Bucket, r => r.Token);
        var result = free.Select(r => (
            new BucketLease(r.Bucket, taken[r.Bucket], expiresAt),
            r.Owner,
            r.Owner is null ? "free" : r.Owner == node ? "re-taken after own lease was lost" : "expired")).ToList();
        await c.ExecuteAsync(
            """
            INSERT INTO cluster_handovers (cluster, bucket, from_node, to_node, token, reason, at)
            SELECT @cluster, h.bucket, h.from_node, @node, h.token, h.reason, @now FROM unnest(@buckets, @froms, @tokens, @reasons) AS h(bucket, from_node, token, reason)
            """,
            new
            {
                cluster, node, now,
                buckets = result.Select(r => r.Item1.Bucket).ToArray(),
                froms = result.Select(r => r.Owner).ToArray(),
                tokens = result.Select(r => r.Item1.Token).ToArray(),
                reasons = result.Select(r => r.Item3).ToArray(),
            }, tx);
        await tx.CommitAsync();
        return result;
    }
}
