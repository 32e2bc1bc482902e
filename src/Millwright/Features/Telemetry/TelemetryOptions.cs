namespace Millwright.Features.Telemetry;

/// <summary>How the telemetry pipeline takes values in and stores them; one instance, checked at start-up.</summary>
internal sealed record TelemetryOptions
{
    /// <summary>A device clock this far ahead of ours is wrong, not early: such values are refused.</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far back late values still land (an edge gateway forwarding what it buffered while offline);
    /// rollups of the buckets they touch are recomputed. Older values are refused.
    /// </summary>
    public TimeSpan LateWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Points waiting for the writer (about 0.1-0.2 s of commits); when full, senders wait (MQTT) or are told to
    /// retry (HTTP 503). Counted in points, not messages: queued values live until their commit, and a queue of
    /// large messages counted by message once held half a gigabyte, whose collections stalled every tenant.
    /// </summary>
    public int QueuePoints { get; init; } = 100_000;

    /// <summary>A commit closes when it holds this many points, or when the queue is empty.</summary>
    public int MaxBatchPoints { get; init; } = 20_000;

    /// <summary>
    /// While more than one tenant has sent in the last second, a commit closes at this many points and a checkpoint
    /// slice after it at <see cref="SharedCheckpointSlicePoints"/>: a steady tenant then waits behind a short commit,
    /// not behind a flooding tenant's full one. A steady tenant waits for the commit in progress and then its own, so
    /// its tail is about two of these commits: at 1,000 points its p99 beside a flood was 1.8 × its p99 alone, at
    /// 4,000 it was 3.3 × (docs/benchmarks.md); the flooding tenant commits about a quarter less meanwhile.
    /// </summary>
    public int SharedBatchPoints { get; init; } = 1_000;

    /// <summary>
    /// The checkpoint slice's bound while several tenants send (see <see cref="SharedBatchPoints"/>): a slice holds the
    /// writer like a commit, so at 5,000 points the steady tenant's p99 beside a flood was 4.4-4.6 ms, at 20,000 6.1-6.3 ms.
    /// </summary>
    public int SharedCheckpointSlicePoints { get; init; } = 5_000;

    /// <summary>
    /// Whether a tenant with more queued than one shared commit takes, in more than one message, has its MQTT reads
    /// and parsing confined to <see cref="BacklogScheduler"/> (half the cores), so other tenants' messages do not queue
    /// for a core behind its flood. A steady gateway whose one large message waits for its commit is not confined (its
    /// next read would queue behind a flood's parsing); a heavy sender is, even while its lane stays short (with only
    /// a lane past two of the largest messages counted as backlogged, a tenant sending 1.5 M points/s in 500-point
    /// messages kept its parsing on the pool and a quiet tenant's p99 beside it went from 2.2 × to 3.4-4.8 × its p99
    /// alone, docs/benchmarks.md). Off only to measure what it buys.
    /// </summary>
    public bool ConfineBackloggedReading { get; init; } = true;

    /// <summary>
    /// While several tenants send and only one has values queued, more than a shared commit takes (a flood), the platform's process may use this many
    /// cores: after each commit the writer rests until the process's CPU time over the commit and rest is within it,
    /// waking when another tenant's message arrives. The flood's lane then fills and its reading stops, so the quiet
    /// tenant's next message finds a core idle. Default half the cores (at least one); 0 turns the rest off.
    /// </summary>
    public double SharedFloodCores { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How often buffered points are compressed into chunks and rollups (and the ingest log trimmed).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often SQLite's WAL is copied into the database file beside the appender (not used on PostgreSQL).</summary>
    public TimeSpan WalCopyInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the retention worker deletes what tenants' policies no longer keep.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FutureTolerance < TimeSpan.Zero || FutureTolerance > TimeSpan.FromDays(1))
        {
            errors.Add("the future tolerance must be between 0 and 1 day");
        }

        if (LateWindow < TimeSpan.FromMinutes(1) || LateWindow > TimeSpan.FromDays(30))
        {
            errors.Add("the late window must be between 1 minute and 30 days");
        }

        if (QueuePoints is < 1 or > 100_000_000 || MaxBatchPoints is < 1 or > 1_000_000 || SharedBatchPoints is < 1 or > 1_000_000 || SharedCheckpointSlicePoints is < 1 or > 100_000_000)
        {
            errors.Add("the queue holds 1 to 100,000,000 points, a batch (also while shared) 1 to 1,000,000 points and a shared checkpoint slice 1 to 100,000,000");
        }

        if (!(SharedFloodCores >= 0 && SharedFloodCores <= 1024))
        {
            errors.Add("the cores a flood may keep busy while shared must be between 0 (no limit) and 1,024");
        }

        if (CheckpointInterval < TimeSpan.FromSeconds(1) || RetentionInterval < TimeSpan.FromSeconds(1) || WalCopyInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add("checkpoint and retention intervals must be at least a second, the WAL copy interval at least 100 ms");
        }

        return errors;
    }
}
