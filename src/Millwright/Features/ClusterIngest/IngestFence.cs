using System.Data.Common;
using Millwright.Features.Cluster;
using Millwright.Storage;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// The appender's fence: every transaction of the time-series store it opened (append, checkpoint slice,
/// retention) first checks, and locks until it commits, the ingest lease with the token this node held when it
/// became the appender. An appender paused past its lease (SIGSTOP, a long GC) whose lease another node took
/// over cannot commit what it had in hand when it resumes; a takeover tried while a commit is in progress leaves
/// the lease for a later tick, so the new appender's replay includes that commit.
/// </summary>
internal sealed class IngestFence(ClusterNode node, BucketLease lease, TimeProvider clock) : IWriteFence
{
    public long Token => lease.Token;

    public Task EnsureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        LeaseFence.EnsureAsync(connection, transaction, node.Options.Name, node.NodeId, lease, clock.GetUtcNow().ToUnixTimeMilliseconds(), node.Options.LeaseDuration, cancellationToken);
}
