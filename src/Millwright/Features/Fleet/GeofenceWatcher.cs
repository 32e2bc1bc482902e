using Millwright.Fleet;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Fleet;

/// <summary>
/// Follows every machine that reports a position through the tenant's geofences: a post-commit observer that only
/// queues the position and engine readings, and a loop that finds enter/leave crossings (stored as events) and
/// judges the three fleet alarms on each position report: outside the machine's allowed area, moving after a
/// site's working hours, and moving with the engine off. A machine "moves" when a report is more than
/// <see cref="MoveMetres"/> from the one before, which GPS jitter of a parked machine does not reach.
/// In cluster mode (<paramref name="ownership"/> given) a machine's crossings are written only while the store names
/// this node its owner, and a machine this node lost is forgotten, so that when it comes back its geofences and
/// alarms are read from the store again (the other owner moved them on meanwhile).
/// </summary>
internal sealed partial class GeofenceWatcher(Sessions sessions, AlarmWriter alarms, ILogger<GeofenceWatcher> logger, IMachineOwnership? ownership = null)
    : BackgroundService, ITelemetryObserver
{
    public const double MoveMetres = 50;

    private const int QueueCapacity = 50_000;

    /// <summary>Machines first seen since the start whose geofences and alarms one transaction reads back.</summary>
    private const int TrackChunk = 100;

    private readonly Channel<GeofenceFix> _queue = Channel.CreateBounded<GeofenceFix>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<long, GeofenceIndex> _indexes = new();
    private readonly Dictionary<(long Tenant, long Machine), MachineTrack> _tracks = [];

    // Transitions the alarm writer's fence refused, from its loop to this one: their tracks are dropped, so that a
    // track's alarm flags follow what was written, not what was asked for.
    private readonly ConcurrentQueue<AlarmTransition> _refusedByWriter = new();
    private long _ownershipSeen = long.MinValue;

    /// <summary>After the twin, live feed, alarms, states and anomalies: nothing below waits for geofences.</summary>
    public int Order => 500;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        alarms.Fenced += _refusedByWriter.Enqueue;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        alarms.Fenced -= _refusedByWriter.Enqueue;
        await base.StopAsync(cancellationToken);
    }

    /// <summary>The tenant's geofences or allowed areas changed (called after the change committed).</summary>
    public void Invalidate(long tenantId) => _indexes.TryRemove(tenantId, out _);

    public async ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            foreach (var fix in Fixes(message))
            {
                // A full queue waits: back-pressure on ingest rather than a missed boundary crossing.
                if (!_queue.Writer.TryWrite(fix))
                {
                    await _queue.Writer.WriteAsync(fix, cancellationToken);
                }
            }
        }
    }

    /// <summary>The message's position and engine readings grouped by device time; nothing for other messages.</summary>
    private static IEnumerable<GeofenceFix> Fixes(DeviceMessage message)
    {
        List<GeofenceFix>? fixes = null;
        foreach (var r in message.Readings)
        {
            if (r.Tag is not ("latitude" or "longitude" or "engine_running"))
            {
                continue;
            }

            fixes ??= [];
            var i = IndexOf(fixes, r.Timestamp);
            var fix = i >= 0 ? fixes[i] : new GeofenceFix(message.TenantId, message.MachineId, r.Timestamp, null, null, null);
            fix = r.Tag switch
            {
                "latitude" when r.Value.Kind == TagValueKind.Number => fix with { Latitude = r.Value.Number },
                "longitude" when r.Value.Kind == TagValueKind.Number => fix with { Longitude = r.Value.Number },
                "engine_running" when r.Value.Kind is TagValueKind.Boolean or TagValueKind.Number => fix with { EngineRunning = r.Value.Number != 0 },
                _ => fix,
            };
            if (i >= 0)
            {
                fixes[i] = fix;
            }
            else
            {
                fixes.Add(fix);
            }
        }

        return fixes is null ? [] : fixes.OrderBy(f => f.At);
    }

    // A loop, not FindIndex with a lambda: a lambda capturing the reading made a closure for every reading of
    // every message, position or not.
    private static int IndexOf(List<GeofenceFix> fixes, long at)
    {
        for (var i = 0; i < fixes.Count; i++)
        {
            if (fixes[i].At == at)
            {
                return i;
            }
        }

        return -1;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<GeofenceFix>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < 1000 && _queue.Reader.TryRead(out var fix))
                {
                    batch.Add(fix);
                }

                foreach (var tenant in batch.GroupBy(f => f.TenantId))
                {
                    try
                    {
                        await JudgeTenantAsync(tenant.Key, [.. tenant], stoppingToken);
                    }
                    catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                    {
                        LogFailed(logger, e, tenant.Key);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the next start reads each machine's geofences back from its stored events.
        }
    }

    private static Caller System(long tenant) => new(0, "geofence watcher", tenant, Role.Operator);

    /// <summary>Judges one tenant's reports of a batch (the loop's step; tests call it to judge without the queue).</summary>
    internal async Task JudgeTenantAsync(long tenantId, List<GeofenceFix> fixes, CancellationToken ct)
    {
        var caller = System(tenantId);
        if (!_indexes.TryGetValue(tenantId, out var index))
        {
            index = await sessions.RunAsync(caller, GeofenceIndex.LoadAsync, ct);
            _indexes[tenantId] = index;
        }

        ForgetLostMachines();
        ForgetRefusedTracks();
        await TrackNewMachinesAsync(caller, fixes, ct);
        var events = new List<(long Machine, long Geofence, string Kind, long At, double Lat, double Lon)>();
        var transitions = new List<AlarmTransition>();
        foreach (var fix in fixes)
        {
            Judge(index, fix, _tracks[(tenantId, fix.MachineId)], events, transitions);
        }

        var refused = new HashSet<long>();
        if (events.Count > 0)
        {
            await sessions.RunAsync(caller, async s =>
            {
                foreach (var e in events)
                {
                    if (refused.Contains(e.Machine))
                    {
                        continue;
                    }

                    // Cluster mode: written only while the store names this node the owner under the track's token.
                    if (await ownership.RefusalAsync(s, e.Machine, _tracks[(tenantId, e.Machine)].Token) is { } reason)
                    {
                        LogRefused(logger, e.Machine, reason);
                        refused.Add(e.Machine);
                        continue;
                    }

                    await s.ExecuteAsync(
                        """
                        INSERT INTO fleet_geofence_events (tenant_id, machine_id, geofence_id, kind, at, latitude, longitude)
                        SELECT @Tenant, @Machine, @Geofence, @Kind, @At, @Lat, @Lon
                        WHERE EXISTS (SELECT 1 FROM machines WHERE tenant_id = @Tenant AND id = @Machine)
                          AND EXISTS (SELECT 1 FROM fleet_geofences WHERE tenant_id = @Tenant AND id = @Geofence)
                        """,
                        new { s.Tenant, e.Machine, e.Geofence, e.Kind, e.At, e.Lat, e.Lon });
                }

                return true;
            }, ct);
        }

        foreach (var machine in refused)
        {
            _tracks.Remove((tenantId, machine));
        }

        foreach (var t in transitions.Where(t => !refused.Contains(t.MachineId)))
        {
            alarms.TryEnqueue(t);
        }
    }

    /// <summary>Drops the track a refused transition was decided from (unless it was read again under another token since).</summary>
    private void ForgetRefusedTracks()
    {
        while (_refusedByWriter.TryDequeue(out var transition))
        {
            var key = (transition.TenantId, transition.MachineId);
            if (_tracks.TryGetValue(key, out var track) && track.Token == transition.Token)
            {
                _tracks.Remove(key);
                LogAlarmRefused(logger, transition.MachineId);
            }
        }
    }

    /// <summary>The machine's track, if this watcher holds one (tests look at its alarm flags).</summary>
    internal MachineTrack? TrackOf(long tenantId, long machineId) => _tracks.GetValueOrDefault((tenantId, machineId));

    /// <summary>
    /// Cluster mode: whenever ownership moved, drops the tracks of machines this node no longer owns under the token
    /// it read them under (lost, or lost and taken back).
    /// </summary>
    private void ForgetLostMachines()
    {
        if (ownership is null || ownership.Version == _ownershipSeen)
        {
            return;
        }

        _ownershipSeen = ownership.Version;
        foreach (var key in _tracks.Where(t => ownership.TokenOf(t.Key.Machine) is not { } token || t.Value.Token != token).Select(t => t.Key).ToList())
        {
            _tracks.Remove(key);
        }
    }

    /// <summary>
    /// Reads back, for each machine first seen since the start, the geofences it is inside and which of its fleet
    /// alarms are active, a transaction per <see cref="TrackChunk"/> machines. A fleet's first reports would
    /// otherwise cost a transaction each, and a clear of each of three alarms that were never raised: four
    /// transactions per machine, which kept SQLite's write lock from the telemetry writer for minutes.
    /// </summary>
    private async Task TrackNewMachinesAsync(Caller caller, List<GeofenceFix> fixes, CancellationToken ct)
    {
        var fresh = fixes.Select(f => f.MachineId).Where(m => !_tracks.ContainsKey((caller.Tenant, m))).Distinct().ToList();
        foreach (var chunk in fresh.Chunk(TrackChunk))
        {
            var tracks = await sessions.RunAsync(caller, async s =>
            {
                var read = new List<(long Machine, MachineTrack Track)>(chunk.Length);
                foreach (var machineId in chunk)
                {
                    var track = new MachineTrack { Token = ownership?.TokenOf(machineId) };
                    track.Inside.UnionWith(await InsideAsync(s, machineId));
                    var active = await ActiveAlarmsAsync(s, machineId);
                    (track.OutsideAllowed, track.AfterHours, track.Theft) =
                        (active.Contains(GeofenceAlarms.OutsideArea.Id), active.Contains(GeofenceAlarms.AfterHours.Id), active.Contains(GeofenceAlarms.Theft.Id));
                    read.Add((machineId, track));
                }

                return read;
            }, ct);
            foreach (var (machineId, track) in tracks)
            {
                _tracks[(caller.Tenant, machineId)] = track;
            }
        }
    }

    private static Task<IReadOnlyList<long>> ActiveAlarmsAsync(Session s, long machineId) =>
        s.QueryAsync<long>(
            """
            SELECT rule_id FROM alarms
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND rule_id IN (@outside, @afterHours, @theft) AND state <> 'closed' AND condition_active = TRUE
            """,
            new { s.Tenant, machineId, outside = GeofenceAlarms.OutsideArea.Id, afterHours = GeofenceAlarms.AfterHours.Id, theft = GeofenceAlarms.Theft.Id });

    /// <summary>The geofences whose last stored event for the machine is an enter: where it was when we stopped.</summary>
    private static Task<IReadOnlyList<long>> InsideAsync(Session s, long machineId) =>
        s.QueryAsync<long>(
            """
            SELECT e.geofence_id FROM fleet_geofence_events e
            WHERE e.tenant_id = @Tenant AND e.machine_id = @machineId AND e.kind = 'enter'
              AND e.id = (SELECT MAX(x.id) FROM fleet_geofence_events x WHERE x.tenant_id = e.tenant_id AND x.machine_id = e.machine_id AND x.geofence_id = e.geofence_id)
            """,
            new { s.Tenant, machineId });

    private static void Judge(GeofenceIndex index, GeofenceFix fix, MachineTrack track, List<(long, long, string, long, double, double)> events, List<AlarmTransition> transitions)
    {
        if (fix.At < track.LastAt)
        {
            return; // a late report from a buffer: the crossing it would describe is history already judged
        }

        if (fix.EngineRunning is { } running)
        {
            track.EngineRunning = running;
        }

        if (fix.Latitude is null && fix.Longitude is null)
        {
            return;
        }

        var lat = fix.Latitude ?? track.Latitude;
        var lon = fix.Longitude ?? track.Longitude;
        if (lat is not { } la || lon is not { } lo || !Coordinates.IsPosition(la, lo))
        {
            return;
        }

        var moved = track.Latitude is { } pla && track.Longitude is { } plo && Metres(pla, plo, la, lo) > MoveMetres;
        var before = track.Inside.Where(id => index.Find(id) is not null).ToHashSet();
        var now = index.Fences.Where(f => f.Contains(la, lo)).Select(f => f.Id).ToHashSet();
        foreach (var id in now.Except(before).Order())
        {
            events.Add((fix.MachineId, id, "enter", fix.At, la, lo));
        }

        foreach (var id in before.Except(now).Order())
        {
            events.Add((fix.MachineId, id, "leave", fix.At, la, lo));
        }

        track.Inside.Clear();
        track.Inside.UnionWith(now);
        track.Latitude = la;
        track.Longitude = lo;
        track.LastAt = fix.At;

        var where = string.Create(CultureInfo.InvariantCulture, $"at {la:0.#####}, {lo:0.#####}");
        var allowed = index.AllowedFor(fix.MachineId);
        track.OutsideAllowed = Decide(track.OutsideAllowed, allowed.Length > 0 && !allowed.Any(now.Contains), GeofenceAlarms.OutsideArea, fix, track.Token, where, transitions);

        // The working hours that apply: the sites it was in or is in now; away from every site, the ones it belongs to.
        var sites = before.Union(now).ToList();
        var relevant = (sites.Count > 0 ? sites : [.. allowed]).Select(index.Find).OfType<GeofenceFence>();
        var closed = relevant.FirstOrDefault(f => f.IsAfterHours(fix.At));
        var afterHours = moved && closed is not null;
        track.AfterHours = Decide(track.AfterHours, afterHours, GeofenceAlarms.AfterHours, fix, track.Token,
            closed is null ? where : $"{where}, outside the working hours of {closed.Name}", transitions);
        track.Theft = Decide(track.Theft, moved && track.EngineRunning == false, GeofenceAlarms.Theft, fix, track.Token, where, transitions);
    }

    /// <summary>Queues a raise or clear (under the track's lease token) when the verdict differs from the last one sent; returns what is now known.</summary>
    private static bool? Decide(bool? last, bool condition, CompiledRule rule, GeofenceFix fix, long? token, string value, List<AlarmTransition> transitions)
    {
        if (last == condition)
        {
            return last;
        }

        transitions.Add(new AlarmTransition(condition ? TransitionKind.Raise : TransitionKind.Clear, GeofenceAlarms.For(rule, fix.TenantId), fix.TenantId, fix.MachineId, value, fix.At, token));
        return condition;
    }

    /// <summary>Great-circle distance on the mean Earth radius; plenty for a 50 m threshold.</summary>
    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6_371_008.8;
        var p1 = double.DegreesToRadians(lat1);
        var p2 = double.DegreesToRadians(lat2);
        var dp = p2 - p1;
        var dl = double.DegreesToRadians(lon2 - lon1);
        var a = (Math.Sin(dp / 2) * Math.Sin(dp / 2)) + (Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2));
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Geofence judgement of tenant {Tenant} failed; its reports in this batch were dropped")]
    private static partial void LogFailed(ILogger logger, Exception e, long tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "A fleet alarm transition of machine {Machine} was refused by the alarm writer's fence; its track is dropped and read again from the store")]
    private static partial void LogAlarmRefused(ILogger logger, long machine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Geofence crossings of machine {Machine} refused: {Reason}; its track is dropped")]
    private static partial void LogRefused(ILogger logger, long machine, string reason);
}
