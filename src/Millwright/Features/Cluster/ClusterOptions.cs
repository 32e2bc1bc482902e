namespace Millwright.Features.Cluster;

/// <summary>
/// One node's cluster settings (<c>serve --cluster NAME</c>). The timings are chosen so that a dead node's
/// machines have a new owner within 5 s (the issue's target): a lease outlives three missed renewals, and a
/// survivor notices the death before the lease runs out. docs/cluster.md gives the reasoning.
/// </summary>
internal sealed record ClusterOptions(string Name, string NodeId)
{
    /// <summary>
    /// Machines hash into this many buckets and a lease covers a bucket: the lease table stays 1,024 rows
    /// whatever the fleet's size, and a hand-over moves whole buckets without listing machines.
    /// </summary>
    public const int DefaultBuckets = 1024;

    public int Buckets { get; init; } = DefaultBuckets;

    /// <summary>
    /// The cluster as the operator named it (<c>--cluster</c>). A role run as a cluster of its own ("NAME.ingest")
    /// is made with <c>with { Name = ... }</c>, which keeps this value, so it still belongs to NAME.
    /// </summary>
    public string Family { get; init; } = Name;

    /// <summary>The one role a cluster runs as a cluster of its own: the store's appender ("NAME.ingest").</summary>
    public const string IngestRole = ".ingest";

    /// <summary>The RabbitMQ broker the nodes move messages through (<c>--amqp</c>); null: ownership only, no forwarding.</summary>
    public Uri? Amqp { get; init; }

    /// <summary>
    /// A holder keeps its buckets while it lives instead of handing them to a joining node that rendezvous
    /// hashing would prefer: for a role whose hand-over is costly (the ingest writer reopens the store).
    /// </summary>
    public bool Sticky { get; init; }

    /// <summary>How often the node heartbeats, renews its leases and takes or gives buckets.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease holds without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>A node whose heartbeat is older than this is dead to the others (they stop giving it buckets).</summary>
    public TimeSpan NodeTimeout { get; init; } = DefaultNodeTimeout;

    public static readonly TimeSpan DefaultNodeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How often a node reads the kept MQTT sessions' filters, sweeps expired sessions and checks the ones it holds (tests lengthen it to see what notices alone bring).</summary>
    public TimeSpan SessionPoll { get; init; } = DefaultSessionPoll;

    public static readonly TimeSpan DefaultSessionPoll = TimeSpan.FromSeconds(5);

    /// <summary>A cluster name: 1 to 63 letters, digits, '.', '_' or '-'; returns the problem or null.</summary>
    public static string? Validate(string name)
    {
        if (name.Length is 0 or > 63)
        {
            return "--cluster: a cluster name has 1 to 63 characters";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? null
            : $"--cluster: '{name}' may contain only letters, digits, '.', '_' and '-'";
    }

    /// <summary>A node id unique enough for a restart on the same host to be a new node: host, process and a random part.</summary>
    public static string NewNodeId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}
