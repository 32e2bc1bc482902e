using Millwright.Messages;
using System.Collections.Concurrent;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The latest value and time of every tag of every machine, in memory. An older reading never replaces a
/// newer one, so out-of-order delivery cannot roll a machine's state back. The first post-commit observer:
/// everything after it (live feed snapshots, acknowledged senders) reads the new values back.
/// </summary>
internal sealed class LatestValues : ITelemetryObserver
{
    public int Order => 0;

    /// <summary>Also on the node that committed a message: reads there see its values at once.</summary>
    public bool OnOwnerOnly => false;

    public ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            Apply(message);
        }

        return ValueTask.CompletedTask;
    }

    private readonly ConcurrentDictionary<(long Tenant, long Machine), MachineTags> _machines = new();

    public void Apply(DeviceMessage message)
    {
        var machine = _machines.GetOrAdd((message.TenantId, message.MachineId), _ => new MachineTags());
        lock (machine)
        {
            var changed = false;
            foreach (var reading in message.Readings)
            {
                if (!machine.Tags.TryGetValue(reading.Tag, out var current) || current.Timestamp <= reading.Timestamp)
                {
                    machine.Tags[reading.Tag] = reading;
                    changed = true;
                }
            }

            if (changed)
            {
                // Taken under the machine's lock: see TwinVersion.
                machine.Version = TwinVersion.Next();
            }
        }
    }

    // What the store held for each machine when a single node started, until the state tracker took it.
    private readonly ConcurrentDictionary<(long Tenant, long Machine), IReadOnlyDictionary<string, Reading>> _baselines = new();

    /// <summary>
    /// Puts back what the store holds at start-up; newer values already applied win, as always. With
    /// <paramref name="baseline"/> (a single node's start, whose store is the whole truth) each machine's values are
    /// also kept for <see cref="TakeBaseline"/>: its counters' readings before the platform stopped.
    /// </summary>
    public void Restore(IEnumerable<(long TenantId, long MachineId, Reading Reading)> stored, bool baseline = false)
    {
        foreach (var group in stored.GroupBy(s => (s.TenantId, s.MachineId)))
        {
            var readings = group.Select(s => s.Reading).ToList();
            if (baseline)
            {
                _baselines[group.Key] = readings.ToDictionary(r => r.Tag, StringComparer.Ordinal);
            }

            Apply(new DeviceMessage(group.Key.TenantId, group.Key.MachineId, "store", DateTimeOffset.UnixEpoch, readings));
        }
    }

    public void DropBaselines() => _baselines.Clear();

    /// <summary>The machine's values as stored when this node started (<see cref="Restore"/> with a baseline), once; null when none.</summary>
    public IReadOnlyDictionary<string, Reading>? TakeBaseline(long tenantId, long machineId) =>
        _baselines.TryRemove((tenantId, machineId), out var stored) ? stored : null;

    /// <summary>A copy of the machine's latest readings, ordered by tag; empty when it never reported.</summary>
    public IReadOnlyList<Reading> Of(long tenantId, long machineId)
    {
        if (!_machines.TryGetValue((tenantId, machineId), out var machine))
        {
            return [];
        }

        lock (machine)
        {
            return machine.Tags.Values.OrderBy(r => r.Tag, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>
    /// Copies the machine's latest readings (in no particular order) into <paramref name="into"/> when they changed
    /// after <paramref name="since"/> (a <see cref="TwinVersion"/>); returns the version of its last change, 0 when it never reported.
    /// </summary>
    public long CopyIfChanged(long tenantId, long machineId, long since, List<Reading> into)
    {
        if (!_machines.TryGetValue((tenantId, machineId), out var machine))
        {
            return 0;
        }

        lock (machine)
        {
            if (machine.Version > since)
            {
                into.AddRange(machine.Tags.Values);
            }

            return machine.Version;
        }
    }

    private sealed class MachineTags
    {
        public Dictionary<string, Reading> Tags { get; } = new(StringComparer.Ordinal);

        public long Version { get; set; }
    }
}
