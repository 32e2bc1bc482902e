using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Millwright.Features.Cluster;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Storage;
using Npgsql;

namespace Millwright.Features.ClusterBridge;

/// <summary>
/// The cluster's retained MQTT messages, kept in PostgreSQL (<c>mqtt_retained</c>) so that every node's broker holds
/// the same ones, and a node that starts later, or after another died, has them too.
/// <list type="bullet">
/// <item>A retained message set on this node (a client's, a will, the platform's) is written before the publisher's
/// PUBACK (<see cref="StoreAsync"/>): an acknowledged retained message outlives the node.</item>
/// <item>Every node follows the table: all of it when it starts or lost the database, then the rows changed since
/// the highest <c>seq</c> it applied, when PostgreSQL notifies a change (<c>LISTEN</c>) and at least every
/// <see cref="Poll"/>. Writes take one sequence under a per-cluster lock, so <c>seq</c> order is commit order and
/// every node ends with the last write of each topic, whichever node it came from.</item>
/// <item>A retained message counts against its publisher's account on every node, so a tenant's retained quota holds
/// for the cluster.</item>
/// </list>
/// </summary>
internal sealed partial class RetainedReplica : BackgroundService, IRetainedReplica
{
    public const string Channel = "millwright_retained";

    /// <summary>The longest a change waits for a node that missed its notification.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>A cleared topic's tombstone is kept this long for nodes reading changes since their mark.</summary>
    public static readonly TimeSpan TombstoneAge = TimeSpan.FromHours(1);

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <summary>At most this many changes share one transaction.</summary>
    private const int WriteBatch = 500;

    private readonly IDatabase _database;
    private readonly ClusterOptions _options;
    private readonly MqttServer _broker;
    private readonly TimeProvider _clock;
    private readonly ILogger<RetainedReplica> _logger;

    // The topics whose retained message came from the cluster (or was stored by this node): a full reload clears
    // those the table no longer holds, and leaves what this node keeps for itself only (its Sparkplug host state).
    private readonly HashSet<string> _replicated = new(StringComparer.Ordinal);
    private volatile bool _loaded;
    private readonly Channel<Change> _changes = System.Threading.Channels.Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private bool _reread;
    private long _mark;
    private long _lastSweep;

    public RetainedReplica(IDatabase database, ClusterOptions options, MqttServer broker, TimeProvider clock, ILogger<RetainedReplica> logger)
    {
        _database = database;
        _options = options;
        _broker = broker;
        _clock = clock;
        _logger = logger;

        // Attached when the host builds its services, before the MQTT listener opens: no retained message set here
        // escapes the table.
        broker.AttachRetainedReplica(this);
    }

    /// <summary>The highest change applied here.</summary>
    public long Mark => Interlocked.Read(ref _mark);

    public Task StoreAsync(string topic, ReadOnlyMemory<byte> message, string? account, long? expiresAt)
    {
        lock (_replicated)
        {
            _replicated.Add(topic);
        }

        return Enqueue(new Change(topic, message.IsEmpty ? null : message.ToArray(), account, expiresAt, Cleared: null));
    }

    public Task ClearAsync(string account) => Enqueue(new Change(null, null, null, null, Cleared: account));

    /// <summary>
    /// Queued for the node's one writer, in the order the broker routed them: two writes of a topic are stored in the
    /// order they were published, which writers racing for the lock would not keep.
    /// </summary>
    private Task Enqueue(Change change)
    {
        if (!_changes.Writer.TryWrite(change))
        {
            change.Done.TrySetException(new IOException("the retained messages' writer has stopped"));
        }

        return change.Done.Task;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Clients that connect right after the start find the cluster's retained messages; a database out of reach
        // does not hold the start up for longer than one try (the loop keeps trying).
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await ReadAsync(connection, full: true, cancellationToken);
        }
        catch (Exception e) when (LoopFaults.Survives(e, cancellationToken))
        {
            LogDatabaseLost(e.GetBaseException().Message);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FollowAsync(stoppingToken), WriteLoopAsync(stoppingToken));

    /// <summary>
    /// Stores what this node set, a batch at a time in one transaction under the cluster's retained lock (notifying every
    /// node on commit), in the order it was queued. A failed store is refused to its publisher, and this node then reads
    /// the whole table again, so its own copy goes back to what the cluster holds. A tenant's clearing is retried until
    /// it is stored: its retained messages must not come back with the next full read.
    /// </summary>
    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Change>();
        var clears = new List<Change>();
        while (true)
        {
            try
            {
                if (clears.Count == 0 && !await _changes.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                batch.Clear();
                batch.AddRange(clears);
                clears.Clear();
                while (batch.Count < WriteBatch && _changes.Reader.TryRead(out var change))
                {
                    batch.Add(change);
                }

                await WriteAsync(batch, stoppingToken);
                batch.ForEach(c => c.Done.TrySetResult());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                foreach (var change in batch.Concat(clears))
                {
                    change.Done.TrySetCanceled(stoppingToken);
                }

                return;
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                // A client's publish is then not acknowledged (0x80 on 5.0, closed on 3.1.1), so it sends it again.
                LogNotStored(batch.Count, e.GetBaseException().Message);
                foreach (var change in batch)
                {
                    if (change.Cleared is not null)
                    {
                        clears.Add(change);
                    }
                    else
                    {
                        change.Done.TrySetException(e);
                    }
                }

                Volatile.Write(ref _reread, true);
                try
                {
                    await Task.Delay(Retry, _clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        var full = !_loaded;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listening = (NpgsqlConnection)await _database.OpenAsync(stoppingToken);
                await listening.ExecuteAsync($"LISTEN {Channel}");
                await using var reading = await _database.OpenAsync(stoppingToken);

                // Listening first, then reading: a change committed between the two is read now or notified later.
                while (!stoppingToken.IsCancellationRequested)
                {
                    // After a failed store this node's own copy may hold what the table does not.
                    full |= Interlocked.Exchange(ref _reread, false);
                    await ReadAsync(reading, full, stoppingToken);
                    full = false;
                    await SweepAsync(reading, stoppingToken);
                    await listening.WaitAsync(Poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                // Notifications may have been missed while the connection was gone: read the whole table again.
                LogDatabaseLost(e.GetBaseException().Message);
                full = true;
            }

            try
            {
                await Task.Delay(Retry, _clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>One transaction under the cluster's retained lock, which notifies every node on commit.</summary>
    private async Task WriteAsync(List<Change> batch, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('mqtt_retained:' || @cluster))", new { cluster = _options.Name }, transaction);
        var now = Now;
        foreach (var change in batch)
        {
            if (change.Cleared is { } account)
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE mqtt_retained SET seq = nextval('mqtt_retained_seq'), message = NULL, expires_at = NULL, changed_at = @now
                    WHERE cluster = @cluster AND account = @account AND message IS NOT NULL
                    """,
                    new { cluster = _options.Name, account, now }, transaction);
            }
            else
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO mqtt_retained (cluster, topic, seq, message, account, expires_at, changed_at)
                    VALUES (@cluster, @topic, nextval('mqtt_retained_seq'), @message, @account, @expiresAt, @now)
                    ON CONFLICT (cluster, topic) DO UPDATE
                    SET seq = excluded.seq, message = excluded.message, account = excluded.account, expires_at = excluded.expires_at, changed_at = excluded.changed_at
                    """,
                    new { cluster = _options.Name, topic = change.Topic, message = change.Message, account = change.Account, expiresAt = change.ExpiresAt, now }, transaction);
            }
        }

        await connection.ExecuteAsync($"SELECT pg_notify('{Channel}', @cluster)", new { cluster = _options.Name }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applies the whole table (<paramref name="full"/>) or the rows changed since <see cref="Mark"/>, in commit order.</summary>
    private async Task ReadAsync(DbConnection connection, bool full, CancellationToken cancellationToken)
    {
        var since = full ? 0 : Mark;
        var rows = (await connection.QueryAsync<RetainedRow>(new CommandDefinition(
            """
            SELECT topic AS Topic, seq AS Seq, message AS Message, account AS Account, expires_at AS ExpiresAt FROM mqtt_retained
            WHERE cluster = @cluster AND seq > @since ORDER BY seq
            """,
            new { cluster = _options.Name, since }, cancellationToken: cancellationToken))).AsList();

        var now = Now;
        var held = full ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var row in rows)
        {
            Apply(row, now);
            if (row.Message is not null)
            {
                held?.Add(row.Topic);
            }
        }

        if (held is not null)
        {
            List<string> gone;
            lock (_replicated)
            {
                gone = _replicated.Where(t => !held.Contains(t)).ToList();
            }

            foreach (var topic in gone)
            {
                Clear(topic);
            }
        }

        if (rows.Count > 0)
        {
            Interlocked.Exchange(ref _mark, Math.Max(Mark, rows[^1].Seq));
        }

        _loaded = true;
    }

    private void Apply(RetainedRow row, long now)
    {
        if (row.Message is null || row.ExpiresAt <= now)
        {
            Clear(row.Topic);
            return;
        }

        try
        {
            _broker.ApplyRetained(row.Topic, row.Message, row.Account, row.ExpiresAt);
            lock (_replicated)
            {
                _replicated.Add(row.Topic);
            }
        }
        catch (MqttProtocolException e)
        {
            LogUnreadable(row.Topic, row.Seq, e.Message);
        }
    }

    private void Clear(string topic)
    {
        bool known;
        lock (_replicated)
        {
            known = _replicated.Remove(topic);
        }

        if (known)
        {
            _broker.ApplyRetained(topic, [], null, null);
        }
    }

    /// <summary>Drops old tombstones and expired messages, once a minute per node (each node's broker expires its own copies).</summary>
    private async Task SweepAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var now = Now;
        if (now - _lastSweep < 60_000)
        {
            return;
        }

        _lastSweep = now;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mqtt_retained WHERE cluster = @cluster AND ((message IS NULL AND changed_at < @cutoff) OR expires_at <= @now)",
            new { cluster = _options.Name, cutoff = now - (long)TombstoneAge.TotalMilliseconds, now }, cancellationToken: cancellationToken));
    }

    /// <summary>A topic set (or emptied), or every message of an account cleared; completes once stored.</summary>
    private sealed record Change(string? Topic, byte[]? Message, string? Account, long? ExpiresAt, string? Cleared)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record RetainedRow(string Topic, long Seq, byte[]? Message, string? Account, long? ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's retained MQTT messages cannot be read ({Reason}); retrying, then reading them all again")]
    private partial void LogDatabaseLost(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} retained MQTT changes could not be stored for the cluster: {Reason}")]
    private partial void LogNotStored(int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retained message of {Topic} (change {Seq}) does not parse and is skipped: {Reason}")]
    private partial void LogUnreadable(string topic, long seq, string reason);
}
