using System.Diagnostics;
using System.Diagnostics.Metrics;
using Millwright.Api;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Carries every <see cref="DeviceMessage"/> from the transports to storage. Admission checks the message
/// against its machine's type and queues it in its tenant's lane of a bounded <see cref="FairQueue{T}"/>; when the
/// tenant's lane is full, that tenant's senders wait (MQTT: the connection stops being read) or are told to retry
/// (HTTP 503), while other tenants' messages still go in. One writer drains the lanes in turn (deficit round robin
/// over points), commits each batch (group commit) and only then completes the messages'
/// <see cref="Admission.Stored"/> tasks, once the post-commit observers (<see cref="ITelemetryObserver"/>) have seen them.
/// Nothing accepted is ever dropped.
/// </summary>
internal sealed partial class TelemetryPipeline : BackgroundService
{
    public const string MeterName = "Millwright.Telemetry";

    /// <summary>Points a busy tenant's lane may add to a commit per turn: small against a batch, so every busy tenant gets in.</summary>
    public const int FairQuantumPoints = 500;

    /// <summary>The longest rest after one commit (see <see cref="RestAsync"/>): a slow commit must not idle the writer long.</summary>
    private static readonly TimeSpan MaxRest = TimeSpan.FromMilliseconds(20);

    private readonly FairQueue<PendingMessage> _queue;
    private readonly MachineSchemas _schemas;
    private readonly TelemetryWriter _writer;
    private readonly TelemetryOptions _options;
    private readonly TimeProvider _clock;
    private readonly TelemetryStorage _storage;
    private readonly QuotaOptions _quotas;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _readings;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _commitSeconds;
    private readonly Histogram<double> _queueSeconds;
    private readonly Histogram<double> _observeSeconds;
    private readonly RecentSenders _senders;
    private readonly ITelemetryRoute? _route;
    private readonly BacklogScheduler? _backlog;
    private volatile bool _shared;

    public TelemetryPipeline(MachineSchemas schemas, TelemetryWriter writer, TelemetryStorage storage, TelemetryOptions options, QuotaOptions quotas, TimeProvider clock, IMeterFactory meters, ITelemetryRoute? route = null)
    {
        _route = route;
        _storage = storage;
        _quotas = quotas;
        _schemas = schemas;
        _writer = writer;
        _options = options;
        _clock = clock;
        _senders = new RecentSenders(clock);
        _queue = new FairQueue<PendingMessage>(options.QueuePoints, FairQuantumPoints,
            static p => p.Message.TenantId, static p => Math.Max(1, p.Message.Readings.Count));
        _backlog = options.ConfineBackloggedReading ? new BacklogScheduler(BacklogScheduler.DefaultThreads) : null;
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("millwright.telemetry.messages", description: "Device messages stored");
        _readings = meter.CreateCounter<long>("millwright.telemetry.readings", description: "Tag values stored");
        _refused = meter.CreateCounter<long>("millwright.telemetry.refused", description: "Device messages refused at admission");
        _commitSeconds = meter.CreateHistogram<double>("millwright.telemetry.commit", "s", "Time to make one batch durable");
        _queueSeconds = meter.CreateHistogram<double>("millwright.telemetry.queue.wait", "s", "Time the oldest message of a batch waited in the queue for the writer");
        _observeSeconds = meter.CreateHistogram<double>("millwright.telemetry.observe", "s", "Time the post-commit observers took for one batch, before its acknowledgements");
        meter.CreateObservableGauge("millwright.telemetry.queue", () => _queue.Count, description: "Messages waiting to be stored");
        meter.CreateObservableGauge("millwright.telemetry.queue.points", () => _queue.Weight, description: "Points waiting to be stored");
        meter.CreateObservableGauge("millwright.telemetry.queue.tenants", () => _queue.BusyOwners, description: "Tenants with messages waiting to be stored");
    }

    /// <summary>
    /// Where a transport should read and parse the tenant's next messages: null for the thread pool, or the few
    /// threads backlogged tenants share while the tenant has more queued than one shared commit takes, in more than one
    /// message (it sends faster than its share is stored, so its parsing can wait; a quiet tenant's cannot, nor a
    /// steady gateway's whose one large message waits for its commit).
    /// </summary>
    public TaskScheduler? SchedulerFor(long tenantId)
    {
        if (_backlog is null)
        {
            return null;
        }

        return _queue.Floods(tenantId, _options.SharedBatchPoints) ? _backlog : null;
    }

    /// <summary>
    /// How many points a checkpoint slice outside the writer (the periodic checkpoint) may move now: the short
    /// shared slice while several tenants send, since every commit waits for the slice; null (the store's own bound) otherwise.
    /// </summary>
    public int? CheckpointSlicePoints() => _shared ? _options.SharedCheckpointSlicePoints : null;

    public override void Dispose()
    {
        base.Dispose();
        _backlog?.Dispose();
    }

    /// <summary>
    /// Checks and queues the message. With <paramref name="patience"/>, waits at most that long for room and
    /// answers <see cref="Admission.Full"/> after; without, waits as long as it takes (back-pressure).
    /// </summary>
    public async ValueTask<Admission> AdmitAsync(DeviceMessage message, TimeSpan? patience, CancellationToken cancellationToken)
    {
        var schema = await _schemas.GetAsync(message.TenantId, message.MachineId, cancellationToken);
        if (schema is null)
        {
            _refused.Add(1);
            return Admission.Refused("the machine no longer exists");
        }

        List<TelemetryFlag>? flags = null;
        if (schema.Check(message.Readings, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _options, ref flags) is { } refusal)
        {
            _refused.Add(1);
            return Admission.Refused(refusal);
        }

        if (NewSeriesOverQuota(message, schema) is { } over)
        {
            _refused.Add(1);
            return Admission.OverQuota("series-per-machine", over);
        }

        // Cluster mode: checked here, queued and committed on the node that appends to the store.
        if (_route is not null && await _route.ForwardAsync(message, cancellationToken) is { } forwarded)
        {
            return Admission.Accepted(forwarded);
        }

        var pending = new PendingMessage(message, schema, flags, _clock.GetTimestamp());
        if (_queue.TryWrite(pending))
        {
            return Admission.Accepted(pending.Stored);
        }

        if (patience is null)
        {
            await _queue.WriteAsync(pending, cancellationToken);
            return Admission.Accepted(pending.Stored);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience.Value);
        try
        {
            await _queue.WriteAsync(pending, deadline.Token);
            return Admission.Accepted(pending.Stored);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Admission.Full;
        }
    }

    /// <summary>
    /// A tag that neither the machine's type declares nor the store holds starts a new series; a machine gets at
    /// most its quota of series, so one device cannot make the store track tags without end.
    /// </summary>
    private string? NewSeriesOverQuota(DeviceMessage message, MachineSchema schema)
    {
        HashSet<string>? fresh = null;
        var store = _storage.Store;
        foreach (var reading in message.Readings)
        {
            if (schema.Tag(reading.Tag) is null && store.FindSeries(new SeriesKey(message.TenantId, message.MachineId, reading.Tag)) is null)
            {
                (fresh ??= new HashSet<string>(StringComparer.Ordinal)).Add(reading.Tag);
            }
        }

        if (fresh is null)
        {
            return null;
        }

        var total = store.SeriesCount(message.TenantId, message.MachineId) + fresh.Count;
        return total > _quotas.SeriesPerMachine
            ? $"the machine would have {total} series, over its 'series-per-machine' quota of {_quotas.SeriesPerMachine} (new tags such as '{fresh.First()}')"
            : null;
    }

    /// <summary>Admits and waits until stored: for transports with nothing to acknowledge in between (Modbus polls).</summary>
    public async ValueTask<string?> StoreAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        var admission = await AdmitAsync(message, null, cancellationToken);
        if (admission.Stored is { } stored)
        {
            await stored.WaitAsync(cancellationToken);
        }

        return admission.Refusal;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingMessage>();
        var (mark, markCpu) = (Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);
        try
        {
            while (true)
            {
                // Group commit: take what is waiting, up to a bound and each tenant in turn, and make it durable
                // in one transaction. While it commits, the next batch gathers in the lanes.
                // While several tenants send, commits and checkpoint slices stay short, so a steady tenant's values
                // never wait long behind a flooding one's; one tenant alone gets the larger, cheaper commits.
                await _queue.WaitToReadAsync(stoppingToken);
                var shared = _senders.Several();
                _shared = shared;
                // While the log is past its bound a slice follows each commit; a commit with only one tenant queued then
                // takes all that waits, up to what a slice of half as much again can still move (so the log shrinks).
                // Bounded, the values arriving during a slice went in one batch per slice and piled up faster than
                // they were stored: the live feed's tail of 0.3-2 s (docs/benchmarks.md). A second tenant queued, even
                // one not yet counted as sending, keeps the bound: its values must not wait behind a catch-up commit.
                var store = _storage.Store;
                var catchUp = !shared && _queue.BusyOwners < 2 && store.CheckpointDue;
                _queue.TakeBatch(batch, shared ? _options.SharedBatchPoints
                    : catchUp ? Math.Min(_options.QueuePoints, Math.Max(_options.MaxBatchPoints, store.CheckpointSliceBound * 2 / 3))
                    : _options.MaxBatchPoints);
                var committed = 0;
                var oldest = long.MaxValue;
                foreach (var pending in batch)
                {
                    _senders.Sent(pending.Message.TenantId);
                    committed += pending.Message.Readings.Count;
                    oldest = Math.Min(oldest, pending.Queued);
                }

                if (batch.Count > 0)
                {
                    _queueSeconds.Record(_clock.GetElapsedTime(oldest).TotalSeconds);
                }

                await CommitAsync(batch, stoppingToken);
                batch.Clear();

                // After the acknowledgements, so no sender waits for it; the next batch gathers meanwhile. While
                // more than one tenant has values queued, their commit goes first (until the log is overdue), so a
                // steady tenant never waits for a slice that began after its message arrived.
                store = _storage.Store;
                if (!store.Broken && (_queue.BusyOwners < 2 || store.CheckpointOverdue))
                {
                    // A short slice still moves twice what the commit added: a batch can pass its bound by one message
                    // (up to 10,000 values), and the checkpoint must not fall behind such messages. One tenant's slice
                    // moves half as much again as the commit added: the log shrinks, and the next commit waits for a
                    // slice sized by this one, not for the store's full 100,000 points (a slice of 100-800 ms).
                    await CheckpointAsync(store, shared || _senders.Several()
                        ? Math.Max(_options.SharedCheckpointSlicePoints, 2 * committed)
                        : Math.Max(_options.SharedCheckpointSlicePoints, committed + (committed / 2)), stoppingToken);
                }

                // The process's CPU is counted from the last such mark, so the rest before this commit (while the
                // flood's parsing ran on) is in it, and the average over a flood stays within the cores allowed.
                var (since, sinceCpu) = (mark, markCpu);
                (mark, markCpu) = (Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);
                if (shared && _options.SharedFloodCores > 0 && _queue.FloodOnly(_options.SharedBatchPoints) is { } newTurn)
                {
                    await RestAsync(newTurn, Stopwatch.GetElapsedTime(since, mark), markCpu - sinceCpu, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was not committed was not acknowledged; devices send it again.
            foreach (var pending in batch)
            {
                pending.Abandon();
            }
        }
    }

    /// <summary>
    /// While several tenants send and only one has values queued, backlogged (a flood), the writer rests until the process's CPU
    /// time since its last rest began is within <see cref="TelemetryOptions.SharedFloodCores"/>, and wakes at
    /// once when another tenant's message arrives: the flood's lane fills, its reading and parsing stop, and a core
    /// stays idle for the quiet tenant's next message, whose read, commit and acknowledgement otherwise queue for a
    /// core behind the flood's work (its p99 beside a flood on a store in memory: 5.2 × alone without the rest,
    /// docs/benchmarks.md). A commit that waited for the disk used little CPU and earns little rest.
    /// </summary>
    private async Task RestAsync(Task newTurn, TimeSpan elapsed, TimeSpan cpu, CancellationToken stoppingToken)
    {
        var rest = TimeSpan.FromTicks(Math.Min((long)(cpu.Ticks / _options.SharedFloodCores) - elapsed.Ticks, MaxRest.Ticks));
        if (rest > TimeSpan.Zero)
        {
            // Real time, as the CPU it is measured against; a rest in full is no error.
            await newTurn.WaitAsync(rest, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    private async Task CommitAsync(List<PendingMessage> batch, CancellationToken stoppingToken)
    {
        var started = _clock.GetTimestamp();
        try
        {
            await _writer.WriteAsync(batch, stoppingToken);
        }
        catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
        {
            // The store failed: nobody is told "stored"; senders see a failure and keep their data.
            LogCommitFailed(_writer.Logger, e, batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }

            await RecoverStoreAsync(stoppingToken);
            return;
        }

        _commitSeconds.Record(_clock.GetElapsedTime(started).TotalSeconds);
        _messages.Add(batch.Count);
        _readings.Add(batch.Sum(static p => (long)p.Message.Readings.Count));
        // Observers before acknowledgements: a sender that got its acknowledgement reads its own values back.
        var observed = _clock.GetTimestamp();
        await _writer.AfterCommitAsync(batch, stoppingToken);
        _observeSeconds.Record(_clock.GetElapsedTime(observed).TotalSeconds);
        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    private async Task CheckpointAsync(TimeSeriesStore store, int? slicePoints, CancellationToken stoppingToken)
    {
        try
        {
            await store.CheckpointIfDueAsync(slicePoints, stoppingToken);
        }
        catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
        {
            // Nothing acknowledged depends on a checkpoint: the log keeps the points; the next one tries again.
            LogCheckpointFailed(_writer.Logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A checkpoint after a commit failed ({Reason}); the points stay in the log until the next one")]
    private static partial void LogCheckpointFailed(ILogger logger, string reason);

    /// <summary>A store whose connection broke is opened again (at most once a second) so ingest resumes when the database is back.</summary>
    private async Task RecoverStoreAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await _storage.RecoverAsync(stoppingToken))
            {
                LogStoreReopened(_writer.Logger);
            }
        }
        catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
        {
            LogStoreStillDown(_writer.Logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The time-series store lost its connection and was opened again; ingest goes on")]
    private static partial void LogStoreReopened(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The time-series store could not be opened again yet ({Reason}); retrying after the next failed batch")]
    private static partial void LogStoreStillDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a batch of {Count} telemetry messages failed; none of them was acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);
}
