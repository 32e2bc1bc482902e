using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.States;

/// <summary>
/// Derives each machine's state from its telemetry and records it as intervals, marks silent machines
/// offline, and sums counter increases (parts, scrap, energy) per machine and minute for the KPIs.
/// A post-commit observer of the telemetry pipeline with its own bounded queue, so that store writes never stall the twin;
/// when the queue is full the pipeline waits (back-pressure, as everywhere else), nothing is dropped.
/// All times are the platform's receive times: device clocks drift, and intervals must not overlap.
/// </summary>
internal sealed class StateTracker : BackgroundService, ITelemetryObserver, ICalendarListener
{
    public const int BucketMs = 60_000;
    private static readonly TimeSpan ConfigLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Machines whose sweep writes share one transaction.</summary>
    private const int SweepChunk = 200;

    // Bounded so that one transaction holds the SQLite write lock briefly: the alarm writer and the pipeline wait for it.
    private const int MaxBatch = 256;

    private readonly Channel<DeviceMessage> _queue;

    // 1 while the loop holds a batch it has taken from the queue but not yet applied (see Queued).
    private int _applying;
    private readonly IDatabase _database;
    private readonly TimeProvider _clock;
    private readonly ILogger<StateTracker> _logger;
    private readonly IStateChangeListener[] _listeners;
    // State changes written in the open transaction, announced when it commits; guarded by _gate.
    private readonly List<(long TenantId, CurrentState Current)> _unannounced = [];
    private readonly Dictionary<(long Tenant, long Machine), int> _unannouncedAt = [];
    private readonly IProductionListener? _production;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IMachineOwnership? _ownership;
    private Session? _fencedIn;
    private HashSet<long> _fenced = [];
    private readonly LatestValues? _latest;
    private readonly ConcurrentDictionary<(long Tenant, long Machine), MachineTrack> _tracks = new();
    private readonly ConcurrentDictionary<(long Tenant, long Machine), CurrentState> _current = new();
    private int _sweepHolds;

    /// <param name="latest">The twin restored at start: on a single node (no <paramref name="ownership"/>) a machine's first counter
    /// reading counts from the stored one. A cluster node's store view may be older than what the machine's previous
    /// owner counted, so there the first reading stays the baseline.</param>
    public StateTracker(IDatabase database, TimeProvider clock, ILogger<StateTracker> logger, int capacity = 10_000, IEnumerable<IStateChangeListener>? listeners = null, IProductionListener? production = null, IMachineOwnership? ownership = null, LatestValues? latest = null)
    {
        _ownership = ownership;
        _latest = ownership is null ? latest : null;
        _listeners = [.. listeners ?? []];
        _production = production;
        _database = database;
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<DeviceMessage>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <summary>Last in the fan-out: the only observer that may wait (on its queue), and it writes to the store.</summary>
    public int Order => 300;

    public async ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            await ObserveAsync(message, cancellationToken);
        }
    }

    /// <summary>Queues a committed message, waiting while the queue is full.</summary>
    public async ValueTask ObserveAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(message, cancellationToken);
        Sequence.MarkQueued();
    }

    /// <summary>How far the tracker has got: later observers await "applied up to what was queued" once per batch.</summary>
    public AppliedSequence Sequence { get; } = new();

    /// <summary>The machine's current state, or null when the tracker has not seen it since start.</summary>
    public CurrentState? CurrentOf(long tenantId, long machineId) => _current.GetValueOrDefault((tenantId, machineId));

    public void CalendarChanged(long tenantId) => Invalidate(tenantId);

    /// <summary>Rules or a calendar changed: reload every machine's configuration of the tenant on its next message.</summary>
    public void Invalidate(long tenantId)
    {
        foreach (var track in _tracks.Values.Where(t => t.TenantId == tenantId))
        {
            track.ConfigLoadedAt = long.MinValue;
        }
    }

    /// <summary>An operator named the reason of an interval; keep the in-memory view in step if it is the open one.</summary>
    public void ReasonChanged(long tenantId, long machineId, long intervalId, string reason)
    {
        // Only if the open interval is still the one named: a state change in between wins (TryUpdate compares).
        if (_current.TryGetValue((tenantId, machineId), out var current) && current.IntervalId == intervalId
            && _current.TryUpdate((tenantId, machineId), current with { Reason = reason }, current))
        {
            foreach (var listener in _listeners)
            {
                listener.StateChanged(tenantId, current with { Reason = reason });
            }
        }
    }

    /// <summary>Messages queued and not yet applied (a batch taken from the queue counts until it is applied).</summary>
    public int Queued => _queue.Reader.Count + Volatile.Read(ref _applying);

    /// <summary>
    /// Holds the offline sweep until disposed: while history is written (demo --history) every machine's last message
    /// is days behind the wall clock, which the sweep would take for silence.
    /// </summary>
    public IDisposable HoldSweeps()
    {
        Interlocked.Increment(ref _sweepHolds);
        return new SweepHold(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepLoopAsync(stoppingToken);
        var batch = new List<DeviceMessage>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Set before the queue is drained, so that Queued never reads 0 while a batch is on its way to the store.
                Volatile.Write(ref _applying, 1);
                // What is waiting is applied in one transaction per tenant: at a high message rate (history, a burst)
                // one commit per message would be the tracker's whole cost.
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var message))
                {
                    batch.Add(message);
                }

                try
                {
                    await ApplyBatchAsync(batch);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // One bad message must not stop state tracking for every machine (nor, by a dead consumer, the pipeline).
                    _logger.LogError(e, "State tracking failed for {Count} messages", batch.Count);
                }

                Sequence.MarkApplied(batch.Count);
                batch.Clear();
                Volatile.Write(ref _applying, 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await sweeping;
    }

    /// <summary>
    /// Applies what is still queued and writes the unfinished minutes. Done here rather than at the end of
    /// ExecuteAsync, which never runs at all when the host stops before it was scheduled.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // The pipeline stopped first (hosted services stop in reverse order), so what is queued is all there is.
            while (_queue.Reader.TryRead(out var message))
            {
                await ApplyAsync(message);
                Sequence.MarkApplied(1);
            }

            await FlushAsync(long.MaxValue);
        }
        catch (DbException e)
        {
            _logger.LogWarning(e, "State tracking could not finish its queue and counts at shutdown");
        }
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepPeriod, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Volatile.Read(ref _sweepHolds) > 0)
                {
                    continue;
                }

                try
                {
                    await SweepAsync();
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    _logger.LogError(e, "State sweep failed; it runs again in {Period}", SweepPeriod);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Applies one message: updates the machine's values, its state interval and its pending counts.</summary>
    public Task ApplyAsync(DeviceMessage message) => ApplyBatchAsync([message]);

    /// <summary>
    /// Applies messages in order, sharing one session while they are of one tenant. Most messages change nothing in
    /// the store, so a session (on SQLite: the write lock) is opened only when needed. A store failure rolls back
    /// the shared session, so every machine it wrote for starts its track over.
    /// </summary>
    private async Task ApplyBatchAsync(IReadOnlyList<DeviceMessage> messages)
    {
        await _gate.WaitAsync();
        Session? session = null;
        var written = new HashSet<(long Tenant, long Machine)>();
        var committed = false;
        try
        {
            foreach (var message in messages)
            {
                if (session is not null && session.Tenant != message.TenantId)
                {
                    await session.CommitAsync();
                    AnnounceCommitted();
                    await session.DisposeAsync();
                    (session, written) = (null, []);
                }

                written.Add((message.TenantId, message.MachineId));
                async Task<Session> Db() => session ??= await SessionFor(message.TenantId);
                try
                {
                    try
                    {
                        await ApplyOneAsync(message, Db);
                    }
                    catch (WriteFencedException e)
                    {
                        // The store names another owner now (this node was paused past its lease): the state change is
                        // not written (the fence comes first) and the others' changes stand. The parts this node counted
                        // from messages it observed are facts the new owner never sees, so they are written, as the
                        // sweep writes those of a machine it lost.
                        _logger.LogWarning("State change of machine {Machine} refused: {Reason}; its counts are written and its track is dropped", message.MachineId, e.Message);
                        if (_tracks.TryGetValue((message.TenantId, message.MachineId), out var lost) && lost.Pending.Count > 0)
                        {
                            await StateStore.FlushAsync(await Db(), lost, long.MaxValue); // a store error here is handled as any below
                        }

                        Forget((message.TenantId, message.MachineId));
                    }
                }
                catch (DbException e)
                {
                    // A machine deleted while its messages were queued, or a store outage: the tracks start over.
                    _logger.LogWarning(e, "State tracking of machine {Machine} failed; the tracks of its batch are reset", message.MachineId);
                    foreach (var key in written)
                    {
                        Forget(key);
                    }

                    DropUnannounced();
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                    }

                    (session, written) = (null, []);
                }
            }

            if (session is not null)
            {
                await session.CommitAsync();
                AnnounceCommitted();
            }

            committed = true;
        }
        finally
        {
            if (!committed)
            {
                // A commit or a step that failed otherwise: what the open session wrote is rolled back, so its
                // machines' tracks start over from the store and its changes are never told.
                foreach (var key in written)
                {
                    Forget(key);
                }

                DropUnannounced();
            }

            if (session is not null)
            {
                await session.DisposeAsync();
            }

            _gate.Release();
        }
    }

    private async Task ApplyOneAsync(DeviceMessage message, Func<Task<Session>> db)
    {
        var track = await TrackAsync(db, message.TenantId, message.MachineId);
        if (track is null)
        {
            return;
        }

        var at = Math.Max(message.ReceivedAt.ToUnixTimeMilliseconds(), track.StateStart);
        foreach (var reading in message.Readings)
        {
            if (!track.Values.TryGetValue(reading.Tag, out var held) || held.Timestamp <= reading.Timestamp)
            {
                track.Values[reading.Tag] = (reading.Timestamp, reading.Value);
            }
        }

        var values = track.Latest;
        var (parts, scrap) = track.Count(message.Readings, values, at / BucketMs * BucketMs);
        if (parts > 0 || scrap > 0)
        {
            _production?.Counted(track.TenantId, track.MachineId, parts, scrap, at);
        }

        var state = track.Rules.Evaluate(values);
        string? reason = null, source = null;
        if (state != MachineStateNames.Running && track.Calendar.PlannedStopAt(message.MachineId, at) is { } stop)
        {
            (state, reason, source) = (MachineStateNames.PlannedStop, stop.Reason ?? "planned stop", "calendar");
        }
        else if (state == MachineStateNames.Down && track.Rules.AlarmReason(values) is { } alarm)
        {
            (reason, source) = (alarm, "alarm");
        }

        track.LastSeen = at;
        if (state != track.State || (state == MachineStateNames.Down && source == "alarm" && reason != track.Reason))
        {
            await ChangeAsync(await db(), track, state, at, reason, source);
        }
        else
        {
            Seen(track, at);
        }

        if (track.Pending.Keys.Any(k => k.Bucket < at / BucketMs * BucketMs))
        {
            await StateStore.FlushAsync(await db(), track, at / BucketMs * BucketMs);
        }
    }

    /// <summary>Marks machines offline that have been silent longer than their type allows, starts and ends planned stops, and writes finished minutes.</summary>
    public Task SweepAsync()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return EachTrackAsync(async (track, db) =>
        {
            if (track.State != MachineStateNames.Offline && now - track.LastSeen > track.Rules.Set.OfflineAfterSeconds * 1000)
            {
                // Offline since the last message: nothing is known of the machine after it.
                await ChangeAsync(await db(), track, MachineStateNames.Offline, Math.Max(track.LastSeen, track.StateStart), null, null);
            }
            else if (track.CalendarTransition(now) is { } due)
            {
                await ChangeAsync(await db(), track, due.State, due.At, due.Reason, due.Source);
            }

            if (track.Pending.Keys.Any(k => k.Bucket < now / BucketMs * BucketMs))
            {
                await StateStore.FlushAsync(await db(), track, now / BucketMs * BucketMs);
            }
        });
    }

    /// <summary>Writes every pending count of minutes before <paramref name="before"/> (all of them with long.MaxValue).</summary>
    public Task FlushAsync(long before) =>
        EachTrackAsync(async (track, db) =>
        {
            if (track.Pending.Keys.Any(k => k.Bucket < before))
            {
                await StateStore.FlushAsync(await db(), track, before);
            }
        });

    /// <summary>
    /// Runs <paramref name="work"/> for every track, each in its own session opened only if it writes, so that
    /// one machine's failure (say, deleted a moment ago) neither rolls back nor blocks the others'.
    /// </summary>
    private async Task EachTrackAsync(Func<MachineTrack, Func<Task<Session>>, Task> work)
    {
        await _gate.WaitAsync();
        try
        {
            // One transaction per tenant and up to SweepChunk machines that write, not one per machine: on SQLite a
            // transaction holds the store's one write lock, and a fleet of 100,000 machines swept one by one held it
            // for most of every second, starving the telemetry commit. Each machine's writes are a savepoint, so one
            // machine's failure (say, deleted a moment ago) undoes only its own writes and resets only its track.
            foreach (var tenant in _tracks.Values.GroupBy(t => t.TenantId).ToList())
            {
                Session? session = null;
                var chunk = new List<MachineTrack>();
                MachineTrack? current = null;
                try
                {
                    foreach (var track in tenant)
                    {
                        current = track;
                        var wrote = false;
                        async Task<Session> Db()
                        {
                            session ??= await SessionFor(track.TenantId);
                            if (!wrote)
                            {
                                wrote = true;
                                await session.ExecuteAsync("SAVEPOINT track");
                            }

                            return session;
                        }

                        // Cluster mode: a machine handed to another node is carried on there from its stored open interval;
                        // this node writes the counts it holds and forgets it, so it never sweeps a machine it no longer hears.
                        var owned = _ownership?.Owns(track.MachineId) != false;
                        try
                        {
                            if (owned)
                            {
                                await work(track, Db);
                            }
                            else if (track.Pending.Count > 0)
                            {
                                await StateStore.FlushAsync(await Db(), track, long.MaxValue);
                            }

                            if (wrote)
                            {
                                await session!.ExecuteAsync("RELEASE SAVEPOINT track");
                                chunk.Add(track);
                            }
                        }
                        catch (Exception e) when (wrote && e is DbException or WriteFencedException)
                        {
                            _logger.LogWarning(e, "State tracking of machine {Machine} failed; its track is reset", track.MachineId);
                            await session!.ExecuteAsync("ROLLBACK TO SAVEPOINT track");
                            await session.ExecuteAsync("RELEASE SAVEPOINT track");
                            Forget(track);
                            continue;
                        }

                        if (!owned)
                        {
                            Forget(track);
                        }

                        if (chunk.Count >= SweepChunk)
                        {
                            await session!.CommitAsync();
                            AnnounceCommitted();
                            await session.DisposeAsync();
                            (session, chunk) = (null, []);
                        }
                    }

                    if (session is not null)
                    {
                        await session.CommitAsync();
                        AnnounceCommitted();
                    }
                }
                catch (Exception e) when (LoopFaults.Survives(e, CancellationToken.None))
                {
                    // The commit, a savepoint or something else failed: what the chunk wrote is rolled back, so its
                    // tracks (and the one at hand) start over from the store rather than keep what was never stored.
                    _logger.LogWarning(e, "State tracking of {Count} machines of tenant {Tenant} failed; their tracks are reset", chunk.Count + 1, tenant.Key);
                    chunk.ForEach(Forget);
                    if (current is not null)
                    {
                        Forget(current);
                    }

                    DropUnannounced();
                }
                finally
                {
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the machine's track and any change of it not yet told: its next message or sweep starts over from what is stored.</summary>
    private void Forget(MachineTrack track) => Forget((track.TenantId, track.MachineId));

    private void Forget((long Tenant, long Machine) key)
    {
        _tracks.TryRemove(key, out _);
        _current.TryRemove(key, out _);
        DropUnannounced(key.Machine);
    }

    private async Task ChangeAsync(Session s, MachineTrack track, string state, long at, string? reason, string? source)
    {
        await FenceAsync(s, track.MachineId);
        var id = await StateStore.ChangeAsync(s, track.MachineId, state, at, reason, source);
        (track.State, track.StateStart, track.Reason, track.IntervalId) = (state, at, reason, id);
        // Told once its transaction commits: a change rolled back was never the machine's state.
        _unannouncedAt[(track.TenantId, track.MachineId)] = _unannounced.Count;
        _unannounced.Add((track.TenantId, track.ToCurrent()));
    }

    /// <summary>
    /// Cluster mode: a state change is written only while the store still names this node the machine's owner (a
    /// paused old owner that resumes believing it owns the machine is refused). The counts a node flushes for a
    /// machine it lost are not fenced: they add to the interval, whoever writes them.
    /// </summary>
    private async Task FenceAsync(Session s, long machineId)
    {
        if (_ownership is null)
        {
            return;
        }

        if (!ReferenceEquals(s, _fencedIn))
        {
            (_fencedIn, _fenced) = (s, []);
        }

        if (!_fenced.Contains(machineId))
        {
            await _ownership.FenceAsync(s, machineId);
            _fenced.Add(machineId);
        }
    }

    /// <summary>A message that changed no state: the machine's view gets its time (its change's, if that is not yet told).</summary>
    private void Seen(MachineTrack track, long at)
    {
        var key = (track.TenantId, track.MachineId);
        var seen = DateTimeOffset.FromUnixTimeMilliseconds(at);
        if (_unannouncedAt.TryGetValue(key, out var i))
        {
            _unannounced[i] = (track.TenantId, _unannounced[i].Current with { LastSeen = seen });
        }
        else if (_current.TryGetValue(key, out var current))
        {
            // Keep the rest of the view: an operator may have named the open interval's reason meanwhile.
            _current[key] = current with { LastSeen = seen };
        }
    }

    /// <summary>After a commit: the changes it made durable, in the order they were made.</summary>
    private void AnnounceCommitted()
    {
        foreach (var (tenantId, current) in _unannounced)
        {
            Publish(tenantId, current);
        }

        _unannounced.Clear();
        _unannouncedAt.Clear();
    }

    /// <summary>After a rollback of one machine's writes (null: of every write since the last commit): not told.</summary>
    private void DropUnannounced(long? machineId = null)
    {
        if (_unannounced.Count == 0)
        {
            return;
        }

        if (machineId is { } machine)
        {
            _unannounced.RemoveAll(u => u.Current.MachineId == machine);
            _unannouncedAt.Clear();
            for (var i = 0; i < _unannounced.Count; i++)
            {
                _unannouncedAt[(_unannounced[i].TenantId, _unannounced[i].Current.MachineId)] = i;
            }
        }
        else
        {
            _unannounced.Clear();
            _unannouncedAt.Clear();
        }
    }

    /// <summary>The new current state, in memory, to the listeners (the live feed) and to production.</summary>
    private void Publish(long tenantId, CurrentState current)
    {
        _current[(tenantId, current.MachineId)] = current;
        foreach (var listener in _listeners)
        {
            listener.StateChanged(tenantId, current);
        }

        _production?.StateChanged(tenantId, current);
    }

    private async Task<MachineTrack?> TrackAsync(Func<Task<Session>> db, long tenantId, long machineId)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_tracks.TryGetValue((tenantId, machineId), out var track) && !track.ConfigDue(now, ConfigLifetime))
        {
            return track;
        }

        var s = await db();
        if (await StateStore.LoadConfigAsync(s, machineId) is not { } config)
        {
            Forget((tenantId, machineId));
            return null;
        }

        if (track is null)
        {
            track = new MachineTrack(tenantId, machineId) { Rules = config.Rules, Calendar = config.Calendar, Baseline = _latest?.TakeBaseline(tenantId, machineId) };
            // Continue the interval a previous run left open instead of starting a second one.
            if (await StateStore.OpenIntervalAsync(s, machineId) is { } open)
            {
                (track.IntervalId, track.State, track.StateStart, track.Reason, track.LastSeen) = (open.Id, open.State, open.StartAt, open.Reason, open.StartAt);
                _current[(tenantId, machineId)] = track.ToCurrent();
            }

            _tracks[(tenantId, machineId)] = track;
        }

        (track.Rules, track.Calendar, track.ConfigLoadedAt) = (config.Rules, config.Calendar, now);
        return track;
    }

    private void ReleaseSweeps() => Interlocked.Decrement(ref _sweepHolds);

    private Task<Session> SessionFor(long tenantId) =>
        Session.BeginAsync(_database, new Caller(0, "state-tracker", tenantId, Role.TenantAdmin), _clock);

    /// <summary>Lets the sweep run again once the last hold is disposed.</summary>
    private sealed class SweepHold(StateTracker tracker) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                tracker.ReleaseSweeps();
            }
        }
    }
}
