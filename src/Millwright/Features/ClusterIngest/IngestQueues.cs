using RabbitMQ.Client;

namespace Millwright.Features.ClusterIngest;

/// <summary>The cluster's queues on RabbitMQ, named after the cluster so that clusters sharing a broker never meet.</summary>
internal static class IngestQueues
{
    /// <summary>Forwarded telemetry waiting for the store's appender: a quorum queue (replicated, durable, poison-message aware).</summary>
    public static string Ingest(string cluster) => $"millwright.{cluster}.ingest";

    /// <summary>Where the appender tells a node that a message it forwarded is committed: the node's own, gone with it.</summary>
    public static string Replies(string cluster, string node) => $"millwright.{cluster}.replies.{node}";

    /// <summary>
    /// A node's inbox of committed messages of the machines it owns, to observe (states, alarms): exclusive, so it
    /// is gone with its node and a message sent to a dead owner comes back unroutable and goes to the next owner.
    /// </summary>
    public static string Owner(string cluster, string node) => $"millwright.{cluster}.owner.{node}";

    public static Task DeclareIngestAsync(IChannel channel, string cluster, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(Ingest(cluster), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
}
