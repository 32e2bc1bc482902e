using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Cluster;

/// <summary>
/// This node's membership and the buckets it owns. Each <see cref="TickAsync"/> heartbeats, reads the live
/// nodes, renews the leases it should keep, releases those another node should now own, and takes the free
/// or expired ones it should own. A bucket changes hands only through the lease row: the new owner takes it
/// after the old one released it (join, leave) or its lease ran out (death), so at no instant do two nodes
/// both hold an unexpired lease on it. The node forgets a lease before releasing it and trusts one only
/// until its expiry by its own clock.
/// </summary>
internal sealed partial class ClusterNode(IDatabase database, ClusterOptions options, TimeProvider clock, ILogger<ClusterNode> logger)
{
    private readonly Lock _lock = new();
    private Dictionary<int, BucketLease> _held = [];
    private IReadOnlyList<string> _live = [];
    private IReadOnlyDictionary<int, string> _holders = new Dictionary<int, string>();
    private long _changes;

    public ClusterOptions Options => options;

    public string NodeId => options.NodeId;

    /// <summary>The live nodes as of the last tick, in id order.</summary>
    public IReadOnlyList<string> LiveNodes => Volatile.Read(ref _live);

    /// <summary>The leases held and not yet run out by this node's clock.</summary>
    public IReadOnlyList<BucketLease> Leases
    {
        get
        {
            var now = NowMs;
            lock (_lock)
            {
                return _held.Values.Where(l => l.ExpiresAt > now).OrderBy(l => l.Bucket).ToList();
            }
        }
    }

    private long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Counts the changes of the buckets this node holds (taken, released, lost), so a reader can tell it should look again.</summary>
    public long HeldChanges => Interlocked.Read(ref _changes);

    /// <summary>The node that held the machine's bucket as of this node's last tick (null: none, it is changing hands).</summary>
    public string? HolderOf(long machineId) =>
        Volatile.Read(ref _holders).GetValueOrDefault(Rendezvous.BucketOf(machineId, options.Buckets));

    /// <summary>The node that held the tenant's bucket, its leader, as of this node's last tick (null: changing hands).</summary>
    public string? LeaderOf(long tenantId) =>
        Volatile.Read(ref _holders).GetValueOrDefault(Rendezvous.BucketOfTenant(tenantId, options.Buckets));

    /// <summary>The lease covering <paramref name="machineId"/>, if this node holds it now.</summary>
    public bool TryGetLease(long machineId, out BucketLease lease) => TryGetBucket(Rendezvous.BucketOf(machineId, options.Buckets), out lease);

    /// <summary>Whether this node leads the tenant now: it holds the lease of the tenant's bucket.</summary>
    public bool Leads(long tenantId) => TryGetBucket(Rendezvous.BucketOfTenant(tenantId, options.Buckets), out _);

    private bool TryGetBucket(int bucket, out BucketLease lease)
    {
        lock (_lock)
        {
            return _held.TryGetValue(bucket, out lease) && lease.ExpiresAt > NowMs;
        }
    }

    /// <summary>
    /// Makes <paramref name="session"/>'s transaction conditional on this node still holding the machine's
    /// lease with its token (see <see cref="LeaseFence"/>), and, given <paramref name="token"/>, with the token the
    /// write was decided under; throws <see cref="FencedOutException"/> otherwise.
    /// </summary>
    public Task FenceAsync(Session session, long machineId, long? token = null)
    {
        if (!TryGetLease(machineId, out var lease))
        {
            throw new FencedOutException($"node {options.NodeId} does not hold the lease of machine {machineId} (bucket {Rendezvous.BucketOf(machineId, options.Buckets)})");
        }

        // The store check below would refuse it too (the row's token moved on); refusing here names why.
        return token is { } decided && decided != lease.Token
            ? throw new FencedOutException($"node {options.NodeId} holds machine {machineId} under token {lease.Token}, not under token {decided} the write was decided under")
            : LeaseFence.EnsureAsync(session, options.Name, options.NodeId, lease, options.LeaseDuration);
    }

    /// <summary>Joins: creates the cluster's bucket rows if it is the first node, registers and takes its share.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        await using (var c = await database.OpenAsync(cancellationToken))
        {
            await RegisterAsync(c, cancellationToken);
            var existing = await ClusterStore.BucketCountAsync(c, options.Name);
            if (existing != 0 && existing != options.Buckets)
            {
                throw new InvalidOperationException(
                    $"cluster '{options.Name}' has {existing} ownership buckets in the store but this node expects {options.Buckets}; every node of a cluster must agree");
            }

            await ClusterStore.CreateBucketsAsync(c, options.Name, options.Buckets);
        }

        LogJoining(options.NodeId, options.Name);
        await TickAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses a single node (no <c>--cluster</c>) on a store a live cluster is using: it would append to the
    /// time-series tables beside the cluster's one appender, and the two would delete each other's log rows.
    /// </summary>
    public static async Task RefuseIfClusteredAsync(IDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (database.Provider != "postgres")
        {
            return;
        }

        await using var c = await database.OpenAsync(cancellationToken);
        var cutoff = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)ClusterOptions.DefaultNodeTimeout.TotalMilliseconds;
        var live = await ClusterStore.LiveClustersAsync(c, cutoff);
        if (live.Count > 0)
        {
            throw new ClusterMismatchException(
                $"this store is in use by cluster {string.Join(", ", live)}; a single node does not start on it. "
                + "Start it as a member with --cluster NAME --amqp URL, or stop the cluster first");
        }
    }

    /// <summary>
    /// Refuses to join a store that a cluster of another name is using (a mistyped --cluster would otherwise start a
    /// second appender on the same tables), and registers this node in the same locked transaction, so two clusters
    /// starting at once cannot both pass the check.
    /// </summary>
    private async Task RegisterAsync(System.Data.Common.DbConnection c, CancellationToken cancellationToken)
    {
        var now = NowMs;
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await Dapper.SqlMapper.ExecuteAsync(c, "LOCK TABLE cluster_nodes IN SHARE ROW EXCLUSIVE MODE", transaction: tx);
        var others = await ClusterStore.OtherLiveClustersAsync(c, tx, options.Family, now - (long)options.NodeTimeout.TotalMilliseconds);
        if (others.Count > 0)
        {
            throw new ClusterMismatchException(
                $"this store is in use by another cluster: {string.Join(", ", others)}; a node of cluster '{options.Family}' does not join it. "
                + "Start every node of one cluster with the same --cluster name; two clusters cannot share a store");
        }

        await ClusterStore.HeartbeatAsync(c, options.Name, options.NodeId, now, tx);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        var now = NowMs;
        var expiresAt = now + (long)options.LeaseDuration.TotalMilliseconds;
        await using var c = await database.OpenAsync(cancellationToken);
        await ClusterStore.HeartbeatAsync(c, options.Name, options.NodeId, now);
        var live = await ClusterStore.LiveNodesAsync(c, options.Name, now - (long)options.NodeTimeout.TotalMilliseconds);
        if (!live.Contains(options.NodeId))
        {
            live.Add(options.NodeId);
            live.Sort(StringComparer.Ordinal);
        }

        if (!live.SequenceEqual(LiveNodes))
        {
            LogMembers(options.NodeId, live);
        }

        Volatile.Write(ref _live, live);
        var mine = Enumerable.Range(0, options.Buckets).Where(b => Rendezvous.OwnerOf(b, live) == options.NodeId).ToHashSet();

        List<BucketLease> keep, give;
        lock (_lock)
        {
            keep = _held.Values.Where(l => options.Sticky || mine.Contains(l.Bucket)).ToList();
            give = _held.Values.Where(l => !options.Sticky && !mine.Contains(l.Bucket)).ToList();
        }

        var renewed = keep.Count == 0 ? [] : await ClusterStore.RenewAsync(c, options.Name, options.NodeId, keep, now, expiresAt);
        lock (_lock)
        {
            foreach (var lease in keep)
            {
                if (renewed.Contains(lease.Bucket))
                {
                    _held[lease.Bucket] = lease with { ExpiresAt = expiresAt };
                }
                else
                {
                    _held.Remove(lease.Bucket);
                    _changes++;
                    LogLost(options.NodeId, lease.Bucket, lease.Token);
                }
            }
        }

        if (give.Count > 0)
        {
            await ReleaseAsync(c, give, "another node is the intended owner", now);
        }

        int[] wanted;
        lock (_lock)
        {
            wanted = mine.Where(b => !_held.ContainsKey(b)).Order().ToArray();
        }

        if (wanted.Length > 0)
        {
            var taken = await ClusterStore.AcquireAsync(c, options.Name, options.NodeId, wanted, now, expiresAt);
            lock (_lock)
            {
                foreach (var (lease, from, reason) in taken)
                {
                    _held[lease.Bucket] = lease;
                    _changes++;
                    LogTaken(options.NodeId, lease.Bucket, lease.Token, from ?? "nobody", reason);
                }
            }

            var expired = taken.Count(t => t.Reason == "expired");
            if (taken.Count > 0)
            {
                LogTakenCount(options.NodeId, taken.Count, expired);
            }
        }

        Volatile.Write(ref _holders, await ClusterStore.HoldersAsync(c, options.Name, now));
    }

    /// <summary>Leaves gracefully: releases every bucket at once (the others take them on their next tick) and deregisters.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        List<BucketLease> all;
        lock (_lock)
        {
            all = [.. _held.Values];
        }

        await using var c = await database.OpenAsync(cancellationToken);
        var now = NowMs;
        await ReleaseAsync(c, all, "node left", now);
        await ClusterStore.LeftAsync(c, options.Name, options.NodeId, now);
        Volatile.Write(ref _live, []);
        LogLeft(options.NodeId, options.Name, all.Count);
    }

    private async Task ReleaseAsync(System.Data.Common.DbConnection c, List<BucketLease> leases, string reason, long now)
    {
        // Forget first: from here on this node does not write for these machines, whether or not the release commits.
        lock (_lock)
        {
            _held = _held.Where(h => !leases.Any(l => l.Bucket == h.Key)).ToDictionary();
            _changes++;
        }

        var released = await ClusterStore.ReleaseAsync(c, options.Name, options.NodeId, leases, reason, now);
        foreach (var bucket in released)
        {
            LogReleased(options.NodeId, bucket, reason);
        }

        if (released.Count > 0)
        {
            LogReleasedCount(options.NodeId, released.Count, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} joining cluster {Cluster}")]
    private partial void LogJoining(string node, string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} sees live nodes: {Nodes}")]
    private partial void LogMembers(string node, IEnumerable<string> nodes);

    // Each hand-over at Debug (and in cluster_handovers); one summary line per tick at Information, since a first node takes 1,024 at once.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster node {Node} took bucket {Bucket} (token {Token}) from {From}: {Reason}")]
    private partial void LogTaken(string node, int bucket, long token, string from, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster node {Node} released bucket {Bucket}: {Reason}")]
    private partial void LogReleased(string node, int bucket, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} took {Count} buckets ({Expired} of them after their holder's lease ran out)")]
    private partial void LogTakenCount(string node, int count, int expired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} released {Count} buckets: {Reason}")]
    private partial void LogReleasedCount(string node, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {Node} lost bucket {Bucket} (token {Token}): its lease ran out or was taken over")]
    private partial void LogLost(string node, int bucket, long token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} left cluster {Cluster}, releasing {Count} buckets")]
    private partial void LogLeft(string node, string cluster, int count);
}
