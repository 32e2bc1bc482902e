using Millwright.Api;

namespace Millwright.Features.Cluster;

/// <summary>
/// Fencing: a per-machine write runs in a transaction that first locks the bucket's lease row FOR SHARE and
/// checks that it still names this node with the token it was given and has not run out. The lock holds until
/// the write commits, so a taker (which locks the row FOR UPDATE) waits for it; once a bucket was taken over,
/// its token is larger and an old owner that was paused (GC, SIGSTOP, a slow network) is refused, whatever it
/// believes. The writer's own clock bounds the expiry check; the token check needs no clock.
/// </summary>
internal static class LeaseFence
{
    public static async Task EnsureAsync(Session session, string cluster, string node, BucketLease lease)
    {
        var held = await session.QueryAsync<long>(
            """
            SELECT token FROM cluster_leases
            WHERE cluster = @cluster AND bucket = @Bucket AND owner = @node AND token = @Token AND expires_at > @now
            FOR SHARE
            """,
            new { cluster, node, lease.Bucket, lease.Token, now = session.Now });
        if (held.Count == 0)
        {
            throw new FencedOutException($"node {node} no longer holds bucket {lease.Bucket} with token {lease.Token}: the write is refused");
        }
    }
}
