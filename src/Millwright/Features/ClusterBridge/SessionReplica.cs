using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Millwright.Features.Cluster;
using Millwright.Features.Connectivity;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Storage;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterBridge;

/// <summary>
/// The cluster's persistent MQTT sessions, kept outside any one node so that they survive their node's death.
/// <list type="bullet">
/// <item>A session's subscriptions are a row of <c>mqtt_sessions</c> in PostgreSQL, written before the SUBACK; the row
/// names the node holding the client's connection and the generation of its claim.</item>
/// <item>Its messages collect in a durable quorum queue of its own, bound to the MQTT exchange with its filters' keys
/// (<see cref="BridgeKeys"/>). While its client is connected, the node holding it consumes the queue (one active
/// consumer) and acknowledges a message only when the client acknowledged it, so a node's death loses none.</item>
/// <item>A CONNECT that resumes the session on any node claims the row (the next generation) and notifies every node
/// (<c>NOTIFY millwright_sessions</c>): an older claim's connection is closed with 0x8E Session taken over, and its
/// unacknowledged messages go back to the queue for the new holder.</item>
/// <item>A clean start, a session that ends with its connection, and expiry (swept here) delete the row and the queue.
/// A new kept session counts against its account's quota across the cluster (counted under a per-account lock).</item>
/// </list>
/// </summary>
internal sealed partial class SessionReplica : BackgroundService, ISessionReplica, IKeptSessions
{
    public const string Channel = "millwright_sessions";

    /// <summary>How often a node sweeps expired sessions and checks that it still holds the sessions it serves (by default).</summary>
    public static readonly TimeSpan Poll = ClusterOptions.DefaultSessionPoll;

    /// <summary>Reads of the kept filters that notifications ask for are at least this far apart, however many come.</summary>
    public static readonly TimeSpan ReadSpacing = TimeSpan.FromMilliseconds(250);

    /// <summary>A notification's payload must stay under PostgreSQL's 8,000 bytes; filters that do not fit ask for a read instead.</summary>
    private const int MaxNotifiedBytes = 7_000;

    /// <summary>Messages a node takes from a session's queue ahead of the client's acknowledgements.</summary>
    public const ushort Prefetch = 100;

    /// <summary>A session's queue holds at most this many bytes; past it (or past the broker's per-session message bound) the oldest go.</summary>
    public const long MaxQueuedBytes = 64L << 20;

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    // A session of a dead holder counts as away since the holder's last heartbeat; one away longer than its expiry is gone.
    private const string Expired =
        """
        ((s.node IS NULL AND s.disconnected_at + s.expiry_seconds * 1000 <= @now)
         OR (s.node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.cluster = s.cluster AND n.node_id = s.node AND n.left_at IS NULL AND n.heartbeat_at > @cutoff)
             AND COALESCE((SELECT MAX(n.heartbeat_at) FROM cluster_nodes n WHERE n.cluster = s.cluster AND n.node_id = s.node), 0) + s.expiry_seconds * 1000 <= @now))
        """;

    private readonly IDatabase _database;
    private readonly ClusterOptions _options;
    private readonly AmqpLink _link;
    private readonly MqttServer _broker;
    private readonly TimeProvider _clock;
    private readonly ILogger<SessionReplica> _logger;

    // Sessions claimed here, by key and generation, from the claim until their connection closes.
    private readonly ConcurrentDictionary<(string Key, long Generation), Feed> _feeds = new();
    private readonly Channel<Func<CancellationToken, Task>> _closings = System.Threading.Channels.Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _control = new(1, 1);
    private IChannel? _controlChannel;

    // The (non-shared) filters of every kept session of the cluster, as of the last poll and this node's own
    // subscribes since: what the bridge must not acknowledge while it cannot put a message in their queues. The
    // broker's topic tree, so a publish's check costs its topic's depth, not one match per filter; changed in place.
    private readonly TopicFilterSet _keptFilters = new();

    // Under _keptLock: the filters in _keptFilters (to add or drop each once), the filters this node
    // added while a poll's read was in flight (that read may not hold them, and
    // must not remove them), and every change of _keptFilters, so that a subscribe and a poll never undo each other.
    private readonly Lock _keptLock = new();
    private readonly HashSet<string> _keptKnown = new(StringComparer.Ordinal);
    private HashSet<string>? _addedDuringRead;

    // Set by a notification that asks for a read of the kept filters (a subscribe whose new filters did not fit in it).
    private volatile bool _readWanted;
    private long _keptFilterReads;

    public SessionReplica(IDatabase database, ClusterOptions options, AmqpLink link, MqttServer broker, TimeProvider clock, ILogger<SessionReplica> logger)
    {
        _database = database;
        _options = options;
        _link = link;
        _broker = broker;
        _clock = clock;
        _logger = logger;

        // Attached when the host builds its services, before the MQTT listener opens: every CONNECT asks the cluster.
        broker.AttachSessionReplica(this);
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private long Cutoff => Now - (long)_options.NodeTimeout.TotalMilliseconds;

    /// <summary>The queue of one incarnation of a session: a new one after every clean start, so an old holder never consumes it.</summary>
    public static string QueueOf(string cluster, string sessionKey, long generation) =>
        $"millwright.{cluster}.session.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionKey)))[..24]}.{generation}";

    /// <summary>The sessions whose connection this node holds now, for tests and diagnostics.</summary>
    public int Held => _feeds.Count;

    /// <summary>How often this node has read every kept session's filters from the store (tests: a subscribe storm costs no reads).</summary>
    public long KeptFilterReads => Interlocked.Read(ref _keptFilterReads);

    public async Task<SessionClaim> ClaimAsync(MqttClient client, string sessionKey, string? account, bool cleanStart, uint expirySeconds, int? quota, CancellationToken cancellationToken)
    {
        // What the client was let in under, kept with the session so that the access watch can end it while it is away.
        var login = MqttLogin.Of(client.Principal) is { } known ? JsonSerializer.Serialize(known) : null;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (cleanStart && expirySeconds == 0)
        {
            // Most devices: nothing to keep, and at most an old session to drop.
            var dropped = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "DELETE FROM mqtt_sessions WHERE cluster = @cluster AND session_key = @sessionKey RETURNING queue",
                new { cluster = _options.Name, sessionKey }, transaction, cancellationToken: cancellationToken));
            if (dropped is not null)
            {
                var generation = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('mqtt_sessions_generation')", transaction: transaction, cancellationToken: cancellationToken));
                await NotifyAsync(connection, transaction, sessionKey, generation);
            }

            await transaction.CommitAsync(cancellationToken);
            DeleteQueueLater(dropped);
            return SessionClaim.Local;
        }

        if (account is not null)
        {
            // New sessions of one account are counted one at a time, so two nodes cannot both take the last place.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext('mqtt_sessions:' || @cluster || ':' || @account))",
                new { cluster = _options.Name, account }, transaction, cancellationToken: cancellationToken));
        }

        var now = Now;
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            $"""
            SELECT s.queue AS Queue, s.subscriptions AS Subscriptions, {Expired} AS IsExpired
            FROM mqtt_sessions s WHERE s.cluster = @cluster AND s.session_key = @sessionKey FOR UPDATE
            """,
            new { cluster = _options.Name, sessionKey, now, cutoff = Cutoff }, transaction, cancellationToken: cancellationToken));
        var next = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('mqtt_sessions_generation')", transaction: transaction, cancellationToken: cancellationToken));
        string? dropQueue = null;
        if (row is not null && (cleanStart || row.IsExpired))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM mqtt_sessions WHERE cluster = @cluster AND session_key = @sessionKey",
                new { cluster = _options.Name, sessionKey }, transaction, cancellationToken: cancellationToken));
            dropQueue = row.Queue;
            row = null;
        }

        SessionClaim claim;
        Feed feed;
        if (row is null)
        {
            if (expirySeconds == 0)
            {
                // A clean start 0 with nothing kept and nothing to keep: this broker's own session, as on one node.
                await NotifyAsync(connection, transaction, sessionKey, next);
                await transaction.CommitAsync(cancellationToken);
                DeleteQueueLater(dropQueue);
                return SessionClaim.Local;
            }

            if (account is not null && quota is { } most && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM mqtt_sessions s WHERE s.cluster = @cluster AND s.account = @account AND NOT {Expired}",
                new { cluster = _options.Name, account, now, cutoff = Cutoff }, transaction, cancellationToken: cancellationToken)) >= most)
            {
                await transaction.RollbackAsync(cancellationToken);
                return SessionClaim.Refused($"persistent session quota ({most})");
            }

            var queue = QueueOf(_options.Name, sessionKey, next);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO mqtt_sessions (cluster, session_key, account, node, generation, queue, subscriptions, expiry_seconds, disconnected_at, login)
                VALUES (@cluster, @sessionKey, @account, @node, @next, @queue, '[]', @expirySeconds, NULL, @login)
                """,
                new { cluster = _options.Name, sessionKey, account, node = _options.NodeId, next, queue, expirySeconds = (long)expirySeconds, login },
                transaction, cancellationToken: cancellationToken));

            // The queue exists before the row commits: a stored session always has somewhere to collect its messages.
            await DeclareQueueAsync(queue, cancellationToken);
            claim = new SessionClaim(true, false, next, []);
            feed = new Feed(queue, [], isNew: true);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE mqtt_sessions SET node = @node, generation = @next, expiry_seconds = @expirySeconds, disconnected_at = NULL, login = @login
                WHERE cluster = @cluster AND session_key = @sessionKey
                """,
                new { cluster = _options.Name, sessionKey, node = _options.NodeId, next, expirySeconds = (long)expirySeconds, login },
                transaction, cancellationToken: cancellationToken));
            var subscriptions = JsonSerializer.Deserialize<List<StoredSubscription>>(row.Subscriptions) ?? [];
            claim = new SessionClaim(true, true, next, subscriptions);
            feed = new Feed(row.Queue, KeysOf(subscriptions), isNew: false);
        }

        // Known here before the claim commits, so the check never takes a claim in flight for one left behind.
        _feeds[(sessionKey, next)] = feed;
        try
        {
            await NotifyAsync(connection, transaction, sessionKey, next);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception)
        {
            // The connect goes no further, but the commit may have happened all the same (the deadline or the
            // connection went at that moment): what was stored under this claim is released, not left held.
            _feeds.TryRemove((sessionKey, next), out _);
            _closings.Writer.TryWrite(ct => AbandonAsync(sessionKey, next, feed, ct));
            throw;
        }

        // Nothing that can fail comes after the commit: the dropped queue goes in the background.
        feed.Committed = true;
        DeleteQueueLater(dropQueue);
        return claim;
    }

    /// <summary>
    /// A claim that was made but is not served (its connect failed at the commit): its row, if the commit happened, is
    /// released as away; a new session's queue that no row names (the commit did not happen) is deleted.
    /// </summary>
    private async Task AbandonAsync(string sessionKey, long generation, Feed feed, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var released = await ReleaseAsync(connection, sessionKey, generation, cancellationToken);
        if (released == 0 && feed.IsNew && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM mqtt_sessions WHERE cluster = @cluster AND queue = @queue)",
            new { cluster = _options.Name, queue = feed.Queue }, cancellationToken: cancellationToken)))
        {
            await DeleteQueueAsync(feed.Queue, cancellationToken);
        }
    }

    /// <summary>Marks a session this node holds under <paramref name="generation"/> as away since now; 0 when the row is no longer so.</summary>
    private Task<int> ReleaseAsync(DbConnection connection, string sessionKey, long generation, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE mqtt_sessions SET node = NULL, disconnected_at = @now
            WHERE cluster = @cluster AND session_key = @key AND node = @node AND generation = @generation
            """,
            new { now = Now, cluster = _options.Name, key = sessionKey, node = _options.NodeId, generation }, cancellationToken: cancellationToken));

    /// <summary>A queue no session uses any more is deleted in the background, retried until done, so that no connect waits for it.</summary>
    private void DeleteQueueLater(string? queue)
    {
        if (queue is not null)
        {
            _closings.Writer.TryWrite(ct => DeleteQueueAsync(queue, ct));
        }
    }

    public async Task SaveAsync(ReplicatedSession session, CancellationToken cancellationToken)
    {
        if (!_feeds.TryGetValue((session.Key, session.Generation), out var feed))
        {
            throw new MqttProtocolException(ReasonCode.SessionTakenOver, "the session was claimed by another connection");
        }

        var subscriptions = session.Subscriptions;
        var wanted = KeysOf(subscriptions);
        HashSet<string> bound;
        lock (feed)
        {
            bound = [.. feed.Bound];
        }

        // The row is locked under this claim first: a session taken over meanwhile changes nothing, and no claim
        // can take it while its queue's bindings change. Keys are bound before the row says so and unbound only
        // with it, so the queue never misses what a stored subscription matches.
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var held = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT generation FROM mqtt_sessions WHERE cluster = @cluster AND session_key = @key AND node = @node AND generation = @generation FOR UPDATE",
            new { cluster = _options.Name, key = session.Key, node = _options.NodeId, generation = session.Generation },
            transaction, cancellationToken: cancellationToken));
        if (held is null)
        {
            throw new MqttProtocolException(ReasonCode.SessionTakenOver, "the session was claimed by another connection");
        }

        var exchange = MqttBridge.Exchange(_options.Name);
        var added = wanted.Except(bound).ToList();
        var removed = bound.Except(wanted).ToList();
        try
        {
            foreach (var key in added)
            {
                await OnControlAsync(c => c.QueueBindAsync(feed.Queue, exchange, key, cancellationToken: cancellationToken), cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE mqtt_sessions SET subscriptions = @json WHERE cluster = @cluster AND session_key = @key",
                new { json = JsonSerializer.Serialize(subscriptions), cluster = _options.Name, key = session.Key },
                transaction, cancellationToken: cancellationToken));
            foreach (var key in removed)
            {
                await OnControlAsync(c => c.QueueUnbindAsync(feed.Queue, exchange, key, cancellationToken: cancellationToken), cancellationToken);
            }

            // A save that bound something new tells the others every filter it holds, in the payload: what this node
            // knows another may have dropped at its own poll. A resume's re-subscribe binds nothing new and sends
            // nothing, so a reconnect storm costs no node a read.
            if (added.Count > 0)
            {
                await connection.ExecuteAsync($"SELECT pg_notify('{Channel}', @payload)", new { payload = FiltersNotice([.. FiltersOf(subscriptions)]) }, transaction);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception) when (added.Count + removed.Count > 0)
        {
            // The row keeps what it had: so do the queue's bindings, as far as the broker can still be reached
            // (the connection is closed over this, and its client resumes what the row holds).
            await RestoreBindingsAsync(feed.Queue, exchange, added, removed);
            throw;
        }

        lock (feed)
        {
            feed.Bound.Clear();
            feed.Bound.UnionWith(wanted);
        }

        // Known here at once; the other nodes take it from the notice above (or read it at their next poll).
        NoteKept(FiltersOf(subscriptions));
    }

    private async Task RestoreBindingsAsync(string queue, string exchange, List<string> added, List<string> removed)
    {
        try
        {
            foreach (var key in added)
            {
                await OnControlAsync(c => c.QueueUnbindAsync(queue, exchange, key), CancellationToken.None);
            }

            foreach (var key in removed)
            {
                await OnControlAsync(c => c.QueueBindAsync(queue, exchange, key), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            LogBindingsNotRestored(queue, e.GetBaseException().Message);
        }
    }

    public void Attach(ReplicatedSession session)
    {
        if (_feeds.TryGetValue((session.Key, session.Generation), out var feed) && !feed.Stopping)
        {
            feed.Consuming = ConsumeAsync(session, feed);
        }
        else
        {
            // A newer claim came before this connection was bound here (or the check found the row another's): it
            // does not get the session's messages, and is closed as taken over.
            _broker.SessionClaimed(session.Key, session.Generation + 1);
        }
    }

    public void Close(ReplicatedSession session, uint expirySeconds)
    {
        var key = (session.Key, session.Generation);
        _feeds.TryGetValue(key, out var feed);
        var closed = feed is null ? Task.CompletedTask : feed.StopAsync();

        // Stored in order, retried until done: a row left naming this node would never expire while the node lives.
        // The feed stays known until then, so the check does not release the row meanwhile without this expiry.
        _closings.Writer.TryWrite(async ct =>
        {
            // What the client had not acknowledged is back in the queue before another node can find the session away.
            await closed;
            await ReleaseClosedAsync(session, expirySeconds, ct);
            if (feed is not null)
            {
                _feeds.TryRemove(new KeyValuePair<(string, long), Feed>(key, feed));
            }
        });
    }

    private async Task ReleaseClosedAsync(ReplicatedSession session, uint expirySeconds, CancellationToken ct)
    {
        await using var connection = await _database.OpenAsync(ct);
        if (expirySeconds == 0)
        {
            // The queue is deleted as a step of its own: retrying this one would find no row to name it.
            var queue = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "DELETE FROM mqtt_sessions WHERE cluster = @cluster AND session_key = @key AND generation = @generation RETURNING queue",
                new { cluster = _options.Name, key = session.Key, generation = session.Generation }, cancellationToken: ct));
            DeleteQueueLater(queue);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE mqtt_sessions SET node = NULL, disconnected_at = @now, expiry_seconds = @expirySeconds
                WHERE cluster = @cluster AND session_key = @key AND node = @node AND generation = @generation
                """,
                new { now = Now, expirySeconds = (long)expirySeconds, cluster = _options.Name, key = session.Key, node = _options.NodeId, generation = session.Generation },
                cancellationToken: ct));
            }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FollowAsync(stoppingToken), CloseLoopAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The broker closes its connections as the host stops; their sessions are released before this node goes.
        _closings.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _keptFilters.Dispose();
        base.Dispose();
    }

    private async Task CloseLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var closing in _closings.Reader.ReadAllAsync(CancellationToken.None))
        {
            while (true)
            {
                try
                {
                    await closing(stoppingToken);
                    break;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode is 403 or 404 or 406)
                {
                    // The broker refuses this for good (a queue it will not delete): retrying would hold up every step behind it.
                    LogRefused(e.Message);
                    break;
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    LogNotReleased(e.GetBaseException().Message);
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
    }

    /// <summary>
    /// Listens for claims (an older claim held here is taken over), and every <see cref="Poll"/> sweeps expired
    /// sessions and checks that each session served here is still this node's: a claim whose notification was
    /// missed (the listening connection was down) is found then.
    /// </summary>
    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listening = (NpgsqlConnection)await _database.OpenAsync(stoppingToken);
                listening.Notification += (_, e) => OnNotified(e.Payload);
                await listening.ExecuteAsync($"LISTEN {Channel}");
                await using var working = await _database.OpenAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await CheckHeldAsync(working, stoppingToken);
                    await SweepAsync(working, stoppingToken);
                    await ReadKeptFiltersAsync(working, stoppingToken);
                    await WaitForPollAsync(listening, working, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                LogDatabaseLost(e.GetBaseException().Message);
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

    /// <summary>
    /// Handles notifications (claims and new filters; the listening connection runs this while it waits) until the next
    /// poll is due; a read the notifications ask for is made meanwhile, at most once per <see cref="ReadSpacing"/>.
    /// </summary>
    private async Task WaitForPollAsync(NpgsqlConnection listening, DbConnection working, CancellationToken stoppingToken)
    {
        var round = System.Diagnostics.Stopwatch.GetTimestamp();
        var lastRead = round;
        while (true)
        {
            var left = _options.SessionPoll - System.Diagnostics.Stopwatch.GetElapsedTime(round);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            if (_readWanted)
            {
                var spacing = ReadSpacing - System.Diagnostics.Stopwatch.GetElapsedTime(lastRead);
                if (spacing <= TimeSpan.Zero)
                {
                    // Cleared first: a notification during the read asks for the next one.
                    _readWanted = false;
                    await ReadKeptFiltersAsync(working, stoppingToken);
                    lastRead = System.Diagnostics.Stopwatch.GetTimestamp();
                    continue;
                }

                left = spacing < left ? spacing : left;
            }

            await listening.WaitAsync(WaitMilliseconds(left), stoppingToken);
        }
    }

    /// <summary>
    /// A wait's remainder in whole milliseconds, at least one. Npgsql's <c>WaitAsync</c> truncates to milliseconds and takes
    /// 0 as "wait for ever": after a truncated wait, a remainder under 1 ms stopped the poll until the next notification,
    /// and with it the check that releases rows no connection here serves (issue 22, docs/cluster.md).
    /// </summary>
    internal static int WaitMilliseconds(TimeSpan left) => (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue);

    /// <summary>"cluster \n filters \n JSON array", or, when that is too long for a notification, "cluster \n read".</summary>
    private string FiltersNotice(List<string> filters)
    {
        var notice = $"{_options.Name}\nfilters\n{JsonSerializer.Serialize(filters)}";
        return Encoding.UTF8.GetByteCount(notice) <= MaxNotifiedBytes ? notice : $"{_options.Name}\nread";
    }

    private void OnNotified(string payload)
    {
        // cluster, then a generation (a claim) or what a subscribe brings; the session key or the filters last.
        var parts = payload.Split('\n', 3);
        if (parts[0] != _options.Name)
        {
            return;
        }

        if (parts is [_, "read"])
        {
            _readWanted = true;
            return;
        }

        if (parts is [_, "filters", var json])
        {
            NoteNotified(json);
            return;
        }

        if (parts.Length == 3 && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var generation))
        {
            // Notified only once the claim committed: an older claim's feed here is done, also one whose connection
            // is not bound yet (its Attach then closes it).
            foreach (var (key, feed) in _feeds)
            {
                if (key.Key == parts[2] && key.Generation < generation)
                {
                    Drop(key, feed);
                }
            }

            _broker.SessionClaimed(parts[2], generation);
        }
    }

    /// <summary>Forgets a feed whose claim is no longer this node's, and closes its consumer.</summary>
    private void Drop((string Key, long Generation) key, Feed feed)
    {
        if (_feeds.TryRemove(new KeyValuePair<(string, long), Feed>(key, feed)))
        {
            // Nobody waits for it: a failure to close a channel that is going anyway is of no consequence.
            feed.StopAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Makes the rows naming this node and the sessions it serves agree: a session served here whose row is now
    /// another claim's is closed (a missed notification), and a row naming this node that no connection here serves
    /// (a claim whose connect failed after it committed) is released, so that it can expire.
    /// </summary>
    private async Task CheckHeldAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Taken before the query: every feed committed by then is in what the query reads. One being closed is its
        // connection's to release (a takeover's notice would cancel the will its close may have left waiting).
        var serving = _feeds.Where(f => f.Value.Committed && !f.Value.Stopping).ToList();
        var held = (await connection.QueryAsync<(string Key, long Generation)>(new CommandDefinition(
            "SELECT session_key, generation FROM mqtt_sessions WHERE cluster = @cluster AND node = @node",
            new { cluster = _options.Name, node = _options.NodeId }, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var (key, feed) in serving)
        {
            if (!held.Contains(key))
            {
                Drop(key, feed);
                _broker.SessionClaimed(key.Key, key.Generation + 1);
            }
        }

        // Read after the query: a claim is known here before it commits, so a row without a feed is no claim in flight.
        foreach (var (key, generation) in held)
        {
            if (!_feeds.ContainsKey((key, generation)))
            {
                LogReleasedUnserved(key);
                await ReleaseAsync(connection, key, generation, cancellationToken);
            }
        }
    }

    public async Task<int> EndRevokedAsync(CancellationToken cancellationToken)
    {
        // Away: released, or held by a node that is dead. A connected client is its node's access watch's to end.
        await using var connection = await _database.OpenAsync(cancellationToken);
        var away = (await connection.QueryAsync<AwayRow>(new CommandDefinition(
            """
            SELECT s.session_key AS Key, s.generation AS Generation, s.login AS Login FROM mqtt_sessions s
            WHERE s.cluster = @cluster AND s.login IS NOT NULL
              AND (s.node IS NULL OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.cluster = s.cluster AND n.node_id = s.node AND n.left_at IS NULL AND n.heartbeat_at > @cutoff))
            """,
            new { cluster = _options.Name, cutoff = Cutoff }, cancellationToken: cancellationToken))).AsList();
        var revoked = await MqttAccessCheck.FindRevokedAsync(_database, away, r => r.LoginOf(), cancellationToken);
        var ended = 0;
        foreach (var row in revoked)
        {
            // Under the generation read: a session resumed meanwhile was let in again, and is not this one to end.
            var queue = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "DELETE FROM mqtt_sessions WHERE cluster = @cluster AND session_key = @key AND generation = @generation RETURNING queue",
                new { cluster = _options.Name, key = row.Key, generation = row.Generation }, cancellationToken: cancellationToken));
            if (queue is not null)
            {
                ended++;
                DeleteQueueLater(queue);
            }
        }

        return ended;
    }

    private async Task SweepAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var queues = (await connection.QueryAsync<string>(new CommandDefinition(
            $"DELETE FROM mqtt_sessions s WHERE s.cluster = @cluster AND {Expired} RETURNING s.queue",
            new { cluster = _options.Name, now = Now, cutoff = Cutoff }, cancellationToken: cancellationToken))).AsList();
        foreach (var queue in queues)
        {
            DeleteQueueLater(queue);
        }
    }

    private async Task NotifyAsync(DbConnection connection, DbTransaction? transaction, string sessionKey, long generation) =>
        await connection.ExecuteAsync($"SELECT pg_notify('{Channel}', @payload)",
            new { payload = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_options.Name}\n{generation}\n{sessionKey}") }, transaction);

    /// <summary>
    /// Consumes the session's queue for as long as its connection is here: one active consumer per queue, so a new
    /// holder starts once the old one's channel is gone, and its unacknowledged messages come back first.
    /// </summary>
    private async Task ConsumeAsync(ReplicatedSession session, Feed feed)
    {
        try
        {
            // Never on the recovered connection: the client's recovery could swap this channel's server channel behind
            // the feed's back and leave the consumer there (AmqpLink); a lost link ends the feed, the client resumes.
            var connection = await _link.SelfManagedAsync(feed.Stop.Token);
            var channel = await connection.CreateChannelAsync(cancellationToken: feed.Stop.Token);
            feed.Channel = channel;
            channel.ChannelShutdownAsync += (_, _) =>
            {
                if (!feed.Stop.IsCancellationRequested)
                {
                    // Not closed by us: the link failed. The client reconnects and resumes, here or elsewhere.
                    session.Lost();
                }

                return Task.CompletedTask;
            };
            // Never more ahead than the session may hold: a delivery the session has no room for is settled unsent.
            await channel.BasicQosAsync(0, (ushort)Math.Clamp(_broker.Options.MaxQueuedMessages, 1, Prefetch), global: false, feed.Stop.Token);
            var acks = System.Threading.Channels.Channel.CreateUnbounded<ulong>(new UnboundedChannelOptions { SingleReader = true });
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                var tag = delivery.DeliveryTag;
                Interlocked.Increment(ref feed.Taken);
                var delivering = true;
                try
                {
                    // Settled while still in Deliver: nothing of the session wanted it, or it had no room (not sent).
                    session.Deliver(delivery.Body.Span, () =>
                    {
                        if (Volatile.Read(ref delivering))
                        {
                            Interlocked.Increment(ref feed.SettledUnsent);
                        }

                        acks.Writer.TryWrite(tag);
                    }, MqttBridge.SenderOf(delivery.BasicProperties));
                }
                catch (MqttProtocolException e)
                {
                    LogUnreadable(session.Key, e.Message);
                    acks.Writer.TryWrite(tag);
                }
                finally
                {
                    Volatile.Write(ref delivering, false);
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(feed.Queue, autoAck: false, consumer, feed.Stop.Token);
            LogFeedStarted(session.Key, session.Generation, feed.Queue);
            await foreach (var tag in acks.Reader.ReadAllAsync(feed.Stop.Token))
            {
                await channel.BasicAckAsync(tag, multiple: false, feed.Stop.Token);
                Interlocked.Increment(ref feed.Acknowledged);
            }
        }
        catch (Exception) when (feed.Stop.IsCancellationRequested)
        {
            // The connection closed.
        }
        catch (Exception e)
        {
            // Whatever the client throws, its own timeouts too (a cancellation the feed did not ask for): the client
            // gets nothing more from this feed, so it is disconnected to resume, here or on another node.
            LogFeedLost(session.Key, e.GetBaseException().Message);
            session.Lost();
        }
        finally
        {
            // What a feed took and gave back, to see where a kept session's messages went (issue 22's broker restart).
            var (taken, acknowledged, unsent) = (Interlocked.Read(ref feed.Taken), Interlocked.Read(ref feed.Acknowledged), Interlocked.Read(ref feed.SettledUnsent));
            LogFeedEnded(session.Key, session.Generation, taken, acknowledged, unsent);
        }
    }

    private async Task DeclareQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var exchange = MqttBridge.Exchange(_options.Name);

        // Longer than any session may be kept, so the sweep, which knows each session's expiry, deletes it first; this
        // only collects queues whose row went without them (a node that died between the two).
        var expires = (long)Math.Min(int.MaxValue, (_broker.Options.MaxSessionExpiry + TimeSpan.FromHours(1)).TotalMilliseconds);
        await OnControlAsync(async c =>
        {
            await c.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await c.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-single-active-consumer"] = true,
                ["x-expires"] = expires,
                ["x-max-length"] = _broker.Options.MaxQueuedMessages,
                ["x-max-length-bytes"] = MaxQueuedBytes,
                ["x-overflow"] = "drop-head",
            }, cancellationToken: cancellationToken);
        }, cancellationToken);
    }

    private async Task DeleteQueueAsync(string? queue, CancellationToken cancellationToken)
    {
        if (queue is not null)
        {
            await OnControlAsync(c => c.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken), cancellationToken);
        }
    }

    /// <summary>Declarations, bindings and deletions go through one channel, one at a time; a broken channel is replaced.</summary>
    private async Task OnControlAsync(Func<IChannel, Task> action, CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            if (_controlChannel is not { IsOpen: true })
            {
                if (_controlChannel is not null)
                {
                    await _controlChannel.DisposeAsync();
                }

                _controlChannel = null;
                var connection = await _link.SelfManagedAsync(cancellationToken);
                _controlChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            }

            await action(_controlChannel);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The broker closed the channel over this operation: the next one gets a new channel.
            _controlChannel = null;
            throw;
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>
    /// Whether a kept session of the cluster may want a message on <paramref name="topic"/>: one of them (as of the last
    /// poll, at most <see cref="Poll"/> ago, or a subscribe made here since) subscribes to a filter matching it.
    /// </summary>
    public bool MayWant(string topic) => _keptFilters.Matches(topic);

    private void NoteKept(IEnumerable<string> filters)
    {
        lock (_keptLock)
        {
            foreach (var filter in filters)
            {
                if (_keptKnown.Add(filter))
                {
                    _keptFilters.Add(filter);
                }

                _addedDuringRead?.Add(filter);
            }
        }
    }

    /// <summary>The filters another node's subscribe made new (a JSON array of strings); anything else in it is ignored.</summary>
    private void NoteNotified(string json)
    {
        try
        {
            var filters = JsonSerializer.Deserialize<List<string?>>(json) ?? [];
            NoteKept(filters.OfType<string>().Where(f => Mqtt.Topics.MqttTopic.IsValidTopicFilter(f) && !Mqtt.Topics.MqttTopic.IsShared(f)));
        }
        catch (JsonException)
        {
            // Not this version's notice: the next poll reads the store.
            _readWanted = true;
        }
    }

    /// <summary>The filters of stored subscription lists (JSON arrays of objects with a Filter), skipping rows that are not.</summary>
    internal static HashSet<string> FiltersOf(IEnumerable<string?> rows)
    {
        var filters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(row ?? "null");
                if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var item in json.RootElement.EnumerateArray())
                {
                    if (item.ValueKind == System.Text.Json.JsonValueKind.Object && item.TryGetProperty("Filter", out var filter) && filter.ValueKind == System.Text.Json.JsonValueKind.String)
                    {
                        filters.Add(filter.GetString()!);
                    }
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not this version's JSON: it adds nothing.
            }
        }

        return filters;
    }

    /// <summary>
    /// Brings the kept filters up to date with every kept session of the cluster. PostgreSQL takes the filters out of
    /// the stored JSON and unites them (one row per distinct filter), so a node reads and parses only those; a row that
    /// is not this version's JSON array adds nothing. What a subscribe here added meanwhile stays.
    /// </summary>
    private async Task ReadKeptFiltersAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        lock (_keptLock)
        {
            _addedDuringRead = new HashSet<string>(StringComparer.Ordinal);
        }

        Interlocked.Increment(ref _keptFilterReads);

        try
        {
            IEnumerable<string> filters;
            try
            {
                filters = await connection.QueryAsync<string>(new CommandDefinition(
                    """
                    SELECT DISTINCT e.value ->> 'Filter'
                    FROM mqtt_sessions s
                    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.subscriptions::jsonb) = 'array' THEN s.subscriptions::jsonb ELSE '[]'::jsonb END) e
                    WHERE s.cluster = @cluster AND jsonb_typeof(e.value) = 'object' AND e.value ->> 'Filter' IS NOT NULL
                    """, new { cluster = _options.Name }, cancellationToken: cancellationToken));
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InvalidTextRepresentation)
            {
                // One row that is not JSON fails the whole cast; read the rows and skip that one instead, or the kept
                // filters would never refresh again (and the bridge could acknowledge what a kept session still wants).
                filters = FiltersOf(await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT subscriptions FROM mqtt_sessions WHERE cluster = @cluster",
                    new { cluster = _options.Name }, cancellationToken: cancellationToken)));
            }

            var stored = filters
                .Where(f => Mqtt.Topics.MqttTopic.IsValidTopicFilter(f) && !Mqtt.Topics.MqttTopic.IsShared(f))
                .ToHashSet(StringComparer.Ordinal);
            lock (_keptLock)
            {
                foreach (var gone in _keptKnown.Where(f => !stored.Contains(f) && !_addedDuringRead!.Contains(f)).ToList())
                {
                    _keptFilters.Remove(gone);
                    _keptKnown.Remove(gone);
                }

                foreach (var filter in stored.Where(_keptKnown.Add))
                {
                    _keptFilters.Add(filter);
                }
            }
        }
        finally
        {
            lock (_keptLock)
            {
                _addedDuringRead = null;
            }
        }
    }

    private static IEnumerable<string> FiltersOf(IEnumerable<StoredSubscription> subscriptions) =>
        subscriptions.Where(s => !Mqtt.Topics.MqttTopic.IsShared(s.Filter)).Select(s => s.Filter);

    private static HashSet<string> KeysOf(IEnumerable<StoredSubscription> subscriptions) =>
        subscriptions.Where(s => !Mqtt.Topics.MqttTopic.IsShared(s.Filter)).Select(s => BridgeKeys.ForFilter(s.Filter)).ToHashSet(StringComparer.Ordinal);

    private sealed record SessionRow(string Queue, string Subscriptions, bool IsExpired);

    private sealed record AwayRow(string Key, long Generation, string Login)
    {
        private static readonly MqttLogin Unreadable = new(null, "", null, null, null, 0);

        /// <summary>The stored login; one that does not parse is checked as no login at all, so it is refused.</summary>
        public MqttLogin LoginOf()
        {
            try
            {
                return JsonSerializer.Deserialize<MqttLogin>(Login) ?? Unreadable;
            }
            catch (JsonException)
            {
                return Unreadable;
            }
        }
    }

    /// <summary>One claimed session's queue: the keys bound to it, and its consumer while the connection is here.</summary>
    private sealed class Feed(string queue, HashSet<string> bound, bool isNew)
    {
        private Task? _stopped;

        public string Queue { get; } = queue;

        /// <summary>The claim made the session (and this queue); else it resumed one.</summary>
        public bool IsNew { get; } = isNew;

        public HashSet<string> Bound { get; } = bound;

        /// <summary>Set once the claim committed: until then the check leaves the feed alone.</summary>
        public volatile bool Committed;

        public CancellationTokenSource Stop { get; } = new();

        public bool Stopping => _stopped is not null;

        public IChannel? Channel { get; set; }

        /// <summary>Deliveries taken from the queue, acknowledged to RabbitMQ, and settled without being sent (counters for the log).</summary>
        public long Taken;

        public long Acknowledged;

        public long SettledUnsent;

        public Task? Consuming { get; set; }

        /// <summary>Closes the consumer's channel (once, whoever asks), which gives back to the queue every message not yet acknowledged.</summary>
        public Task StopAsync()
        {
            lock (Stop)
            {
                return _stopped ??= StopOnceAsync();
            }
        }

        private async Task StopOnceAsync()
        {
            await Stop.CancelAsync();
            if (Consuming is { } consuming)
            {
                await consuming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (Channel is { } channel)
            {
                try
                {
                    await channel.CloseAsync(CancellationToken.None);
                }
                catch (Exception)
                {
                    // Closed already, or the connection is gone: either way its deliveries went back.
                }

                await channel.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT session {Session} (claim {Generation}) consumes its queue {Queue}")]
    private partial void LogFeedStarted(string session, long generation, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT session {Session} (claim {Generation}) stopped consuming: {Taken} taken from its queue, {Acknowledged} acknowledged, {Unsent} of them settled unsent")]
    private partial void LogFeedEnded(string session, long generation, long taken, long acknowledged, long unsent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's MQTT sessions cannot be followed ({Reason}); retrying")]
    private partial void LogDatabaseLost(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A closed MQTT session could not be released for the cluster ({Reason}); retrying")]
    private partial void LogNotReleased(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue of MQTT session {Session} could not be consumed ({Reason}); its client is disconnected to resume")]
    private partial void LogFeedLost(string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bindings of session queue {Queue} could not be put back after a failed subscription change ({Reason})")]
    private partial void LogBindingsNotRestored(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "RabbitMQ refused a step of a session's clean-up, which is not retried: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT session {Session} was held by this node without a connection here; released")]
    private partial void LogReleasedUnserved(string session);

    [LoggerMessage(Level = LogLevel.Error, Message = "A queued message of MQTT session {Session} did not parse and is dropped: {Reason}")]
    private partial void LogUnreadable(string session, string reason);
}
