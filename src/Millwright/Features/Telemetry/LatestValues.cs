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

    /// <summary>Puts back what the store holds at start-up; newer values already applied win, as always.</summary>
    public void Restore(IEnumerable<(long TenantId, long MachineId, Reading Reading)> stored)
    {
        foreach (var group in stored.GroupBy(s => (s.TenantId, s.MachineId)))
        {
            Apply(new DeviceMessage(group.Key.TenantId, group.Key.MachineId, "store", DateTimeOffset.UnixEpoch, group.Select(s => s.Reading).ToList()));
        }
    }

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
