using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Dapper;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Alarms;

/// <summary>
/// Applies the engine's transitions to the store, one at a time, off the telemetry path: the engine only ever
/// does a TryWrite into this bounded queue. Each applied transition is published on <see cref="AlarmEvents"/>.
/// It also owns shelf expiry, since unshelving is a store transition like any other.
/// </summary>
internal sealed class AlarmWriter : BackgroundService
{
    private const int Capacity = 10_000;
    private readonly Channel<AlarmTransition> _queue = Channel.CreateBounded<AlarmTransition>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly IDatabase _database;
    private readonly Sessions _sessions;
    private readonly AlarmEvents _events;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlarmWriter> _logger;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _fenced;
    private readonly IMachineOwnership? _ownership;
    private long _nextShelfExpiry = long.MaxValue;

    public AlarmWriter(IDatabase database, Sessions sessions, AlarmEvents events, TimeProvider clock, IMeterFactory meters, ILogger<AlarmWriter> logger, IMachineOwnership? ownership = null)
    {
        _ownership = ownership;
        _database = database;
        _sessions = sessions;
        _events = events;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(AlarmEngine.MeterName);
        _refused = meter.CreateCounter<long>("millwright.alarms.queue_full", description: "Transitions refused by a full writer queue (retried on the next reading or tick)");
        _fenced = meter.CreateCounter<long>("millwright.alarms.fenced", description: "Transitions refused because this node no longer owned the machine under the token they were decided under");
        meter.CreateObservableGauge("millwright.alarms.queue", () => _queue.Reader.Count, description: "Transitions waiting for the store");
    }

    /// <summary>
    /// Cluster mode: a transition the fence refused (called on the writer's loop). Who queued it drops what it
    /// believed the transition changed, so that its view follows the store, not what it asked for.
    /// </summary>
    public event Action<AlarmTransition>? Fenced;

    /// <summary>The system caller that engine transitions act as, within one tenant.</summary>
    public static Caller System(long tenant) => new(0, "alarm engine", tenant, Role.Operator);

    public bool TryEnqueue(AlarmTransition transition)
    {
        if (_queue.Writer.TryWrite(transition))
        {
            return true;
        }

        _refused.Add(1);
        return false;
    }

    /// <summary>Remembers the earliest time a shelf runs out.</summary>
    public void NoteShelvedUntil(long until)
    {
        var seen = Interlocked.Read(ref _nextShelfExpiry);
        while (until < seen)
        {
            var before = Interlocked.CompareExchange(ref _nextShelfExpiry, until, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>Called by the engine's timer: queues a shelf expiry when one is due.</summary>
    public void OnTick(long now)
    {
        var due = Interlocked.Read(ref _nextShelfExpiry);
        if (now >= due && Interlocked.CompareExchange(ref _nextShelfExpiry, long.MaxValue, due) == due
            && !TryEnqueue(new AlarmTransition(TransitionKind.ExpireShelves, null, 0, 0, null, now)))
        {
            NoteShelvedUntil(due);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadShelvesUntilDoneAsync(stoppingToken);
            await foreach (var transition in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await ApplyAsync(transition, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; transitions still queued are found again from the telemetry after a restart.
        }
    }

    /// <summary>Writes one transition (the queue's reader; tests call it to apply one without the queue).</summary>
    internal async Task ApplyAsync(AlarmTransition transition, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                switch (transition.Kind)
                {
                    case TransitionKind.Raise:
                        Publish(await _sessions.RunAsync(System(transition.TenantId), async s => await FenceAsync(s, transition) ? await AlarmLifecycle.RaiseAsync(s, transition) : null, ct));
                        break;
                    case TransitionKind.Clear:
                        Publish(await _sessions.RunAsync(System(transition.TenantId), async s => await FenceAsync(s, transition) ? await AlarmLifecycle.ClearAsync(s, transition) : null, ct));
                        break;
                    case TransitionKind.ExpireShelves:
                        await ExpireShelvesAsync(ct);
                        break;
                }

                return;
            }
            catch (ApiProblem conflict) when (conflict.Status == StatusCodes.Status409Conflict && attempt < 3)
            {
                // An operator moved the alarm between our read and our write; read it again.
            }
            catch (Exception e) when (LoopFaults.Survives(e, ct))
            {
                _logger.LogError(e, "Alarm transition {Kind} of rule {Rule} on machine {Machine} failed", transition.Kind, transition.Rule?.Id, transition.MachineId);
                return;
            }
        }
    }

    /// <summary>
    /// Cluster mode: an engine transition is written only while the store still names this node the machine's owner,
    /// under the lease token the transition was decided under (when it carries one); a node paused past its lease
    /// that resumes with transitions queued writes none of them, nor does one that lost the machine and took it back
    /// while they waited (the new owner's engine decides the machine's alarms from its own readings). Operators'
    /// actions (acknowledge, shelve) are not fenced.
    /// </summary>
    private async Task<bool> FenceAsync(Session s, AlarmTransition transition)
    {
        if (await _ownership.RefusalAsync(s, transition.MachineId, transition.Token) is not { } reason)
        {
            return true;
        }

        _logger.LogWarning("Alarm transition {Kind} of rule {Rule} on machine {Machine} refused: {Reason}", transition.Kind, transition.Rule?.Id, transition.MachineId, reason);
        _fenced.Add(1);
        Fenced?.Invoke(transition);
        return false;
    }

    private async Task ExpireShelvesAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        List<(long TenantId, long Id)> due;
        await using (var connection = await _database.OpenAsync(ct))
        {
            due = (await connection.QueryAsync<(long, long)>(new CommandDefinition(
                "SELECT tenant_id, id FROM alarms WHERE state = 'shelved' AND shelved_until <= @now ORDER BY shelved_until LIMIT 1000", new { now },
                cancellationToken: ct))).AsList();
        }

        foreach (var (tenant, id) in due)
        {
            try
            {
                Publish(await _sessions.RunAsync(System(tenant), s => AlarmLifecycle.UnshelveAsync(s, id, "shelving time is up"), ct));
            }
            catch (ApiProblem)
            {
                // Unshelved by hand in the meantime.
            }
        }

        await LoadNextShelfExpiryAsync(ct);
    }

    /// <summary>The first shelf expiry, read again every few seconds while the store is out of reach at start.</summary>
    private async Task LoadShelvesUntilDoneAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await LoadNextShelfExpiryAsync(ct);
                return;
            }
            catch (Exception e) when (LoopFaults.Survives(e, ct))
            {
                _logger.LogWarning(e, "The next shelf expiry could not be read; trying again");
            }

            await Task.Delay(TimeSpan.FromSeconds(5), _clock, ct);
        }
    }

    private async Task LoadNextShelfExpiryAsync(CancellationToken ct)
    {
        await using var connection = await _database.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(shelved_until) FROM alarms WHERE state = 'shelved'", cancellationToken: ct)) is { } next)
        {
            NoteShelvedUntil(next);
        }
    }

    private void Publish(AlarmEventMessage? message)
    {
        if (message is not null)
        {
            _events.Publish(message);
        }
    }
}
