using Millwright.Features.Cluster;
using Millwright.Storage;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// The lease of the store's appender: the cluster's ownership machinery (membership, lease, fencing token,
/// logged hand-overs) on a one-bucket cluster named "NAME.ingest". It is sticky: a joining node does not take it
/// from a live holder, because every hand-over makes the new appender replay the store.
/// </summary>
internal sealed class IngestLease(IDatabase database, ClusterOptions options, TimeProvider clock, ILogger<ClusterNode> logger)
{
    public ClusterNode Node { get; } = new(database, options with { Name = options.Name + ClusterOptions.IngestRole, Buckets = 1, Sticky = true }, clock, logger);

    /// <summary>Whether this node holds the lease now, by its own clock (a node that was paused past expiry does not).</summary>
    public bool Held => Node.TryGetLease(0, out _);
}
