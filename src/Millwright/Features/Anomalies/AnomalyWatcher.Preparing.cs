using Millwright.Messages;

namespace Millwright.Features.Anomalies;

/// <summary>
/// What a batch of messages needs from the store before it is judged, read and written in a few transactions.
/// One transaction per machine's settings and one per new series held SQLite's single write lock some hundreds
/// of times a second with a large fleet (10,000 machines: 333 settings reads and 170 series a second), so the
/// telemetry writer waited seconds for its commit; now a batch costs a transaction per tenant and chunk.
/// </summary>
internal sealed partial class AnomalyWatcher
{
    /// <summary>Machines (or series) per transaction: short enough that a commit waiting for the lock is not held up long.</summary>
    internal const int PrepareChunk = 100;

    /// <summary>Loads the settings of every machine of the batch that has none or stale ones, then makes every watched series seen for the first time.</summary>
    internal async Task PrepareAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var stale = new HashSet<(long Tenant, long Machine)>();
        var tokens = new Dictionary<long, long?>();
        foreach (var message in batch)
        {
            if (!Holds(message.TenantId, message.MachineId, out var token))
            {
                continue;
            }

            // Taken before the read: a machine that changes hands during it is read again on its next message.
            tokens[message.MachineId] = token;
            if (!_machines.TryGetValue((message.TenantId, message.MachineId), out var machine) || machine.ConfigDue(now, ConfigLifetime))
            {
                stale.Add((message.TenantId, message.MachineId));
            }
        }

        foreach (var tenant in stale.GroupBy(k => k.Tenant))
        {
            foreach (var chunk in tenant.Select(k => k.Machine).Chunk(PrepareChunk))
            {
                var loaded = await sessions.RunAsync(System(tenant.Key), async s =>
                {
                    var each = new List<(long Machine, AnomalyRestore.Loaded? Loaded)>(chunk.Length);
                    var settings = await AnomalyRestore.SettingsOfAsync(s, chunk);
                    foreach (var machineId in chunk)
                    {
                        // A machine seen before needs only its settings again; one seen first also what it learned.
                        each.Add((machineId, !settings.TryGetValue(machineId, out var read) ? null
                            : _machines.ContainsKey((tenant.Key, machineId)) ? new AnomalyRestore.Loaded(read.Anomaly, read.ProgramTag, [], [], [])
                            : await AnomalyRestore.LearnedAsync(s, machineId, read)));
                    }

                    return each;
                }, ct);
                foreach (var (machineId, settings) in loaded)
                {
                    Remember(tenant.Key, machineId, settings, now, tokens[machineId]);
                }
            }
        }

        var missing = new HashSet<(MachineWatch Machine, string Tag)>();
        foreach (var message in batch)
        {
            if (!_machines.TryGetValue((message.TenantId, message.MachineId), out var machine))
            {
                continue;
            }

            lock (machine)
            {
                foreach (var reading in message.Readings)
                {
                    if (reading.Value.Kind == TagValueKind.Number && machine.Watched.ContainsKey(reading.Tag) && !machine.Series.ContainsKey(reading.Tag))
                    {
                        missing.Add((machine, reading.Tag));
                    }
                }
            }
        }

        foreach (var tenant in missing.GroupBy(m => m.Machine.TenantId))
        {
            foreach (var chunk in tenant.Chunk(PrepareChunk))
            {
                var made = await sessions.RunAsync(System(tenant.Key), async s =>
                {
                    var ids = new List<long?>(chunk.Length);
                    foreach (var (machine, tag) in chunk)
                    {
                        ids.Add(await AnomalyStore.EnsureSeriesAsync(s, machine.MachineId, tag));
                    }

                    return ids;
                }, ct);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (made[i] is { } id)
                    {
                        AddSeries(chunk[i].Machine, chunk[i].Tag, id);
                    }
                }
            }
        }
    }

    /// <summary>Takes a machine's settings (and, on first sight, what it learned before); a machine gone from the store is forgotten.</summary>
    private MachineWatch? Remember(long tenant, long machineId, AnomalyRestore.Loaded? loaded, long now, long? token)
    {
        if (loaded is null)
        {
            _machines.TryRemove((tenant, machineId), out _);
            return null;
        }

        var machine = _machines.GetOrAdd((tenant, machineId), static (k, token) => new MachineWatch(k.Tenant, k.Machine) { Token = token }, token);
        lock (machine)
        {
            AnomalyRestore.Apply(machine, loaded, now, logger);
        }

        return machine;
    }

    private static SeriesWatch AddSeries(MachineWatch machine, string tag, long id)
    {
        lock (machine)
        {
            return machine.Series.TryGetValue(tag, out var known) ? known : machine.Series[tag] = new SeriesWatch(id, tag);
        }
    }
}
