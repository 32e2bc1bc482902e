using System.Data.Common;
using Dapper;
using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Cluster;

/// <summary>
/// Fencing: a write runs in a transaction that first locks its bucket's lease row and checks that it still names
/// this node with the token it was given and has not run out. The lock holds until the write commits, so a taker
/// (which locks the row FOR UPDATE SKIP LOCKED) leaves the row for a later tick; once a bucket was taken over, its
/// token is larger and an old owner that was paused (GC, SIGSTOP, a slow network) is refused, whatever it believes.
/// The writer's own clock bounds the expiry check; the token check needs no clock.
/// A writer frozen inside its transaction would hold the lock for as long as it is frozen, so the transaction is
/// given PostgreSQL's idle-in-transaction limit of one lease: past it the server ends the session, the lock goes,
/// and the write (when the writer resumes) fails, never commits.
/// </summary>
internal static class LeaseFence
{
    // FOR KEY SHARE, not FOR SHARE: a renewal (an UPDATE of expires_at only) does not conflict with it, so the
    // holder's own tick never waits for its writes, while a taker's SELECT ... FOR UPDATE does not get the row.
    private const string Sql =
        """
        SELECT token FROM cluster_leases
        WHERE cluster = @cluster AND bucket = @Bucket AND owner = @node AND token = @Token AND expires_at > @now
        FOR KEY SHARE
        """;

    public static async Task EnsureAsync(Session session, string cluster, string node, BucketLease lease, TimeSpan idleLimit)
    {
        await session.ExecuteAsync(IdleLimitSql, new { idle = IdleLimit(idleLimit) });
        var held = await session.QueryAsync<long>(Sql, new { cluster, node, lease.Bucket, lease.Token, now = session.Now });
        if (held.Count == 0)
        {
            throw Refused(node, lease);
        }
    }

    /// <summary>The same check in a transaction of the caller's own (the time-series store's, through <see cref="IWriteFence"/>).</summary>
    public static async Task EnsureAsync(DbConnection connection, DbTransaction transaction, string cluster, string node, BucketLease lease, long now, TimeSpan idleLimit, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(IdleLimitSql, new { idle = IdleLimit(idleLimit) }, transaction, cancellationToken: cancellationToken));
        var held = await connection.QueryAsync<long>(new CommandDefinition(Sql, new { cluster, node, lease.Bucket, lease.Token, now }, transaction, cancellationToken: cancellationToken));
        if (!held.Any())
        {
            throw Refused(node, lease);
        }
    }

    // Local to the transaction: only fenced writes are ended this way, other transactions keep the server's default.
    private const string IdleLimitSql = "SELECT set_config('idle_in_transaction_session_timeout', @idle, true)";

    private static string IdleLimit(TimeSpan limit) =>
        ((long)limit.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static FencedOutException Refused(string node, BucketLease lease) =>
        new($"node {node} no longer holds bucket {lease.Bucket} with token {lease.Token}: the write is refused");
}
