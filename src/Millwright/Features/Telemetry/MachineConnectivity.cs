using Millwright.Messages;
using System.Collections.Concurrent;

namespace Millwright.Features.Telemetry;

/// <summary>Whether each machine's connection is up, as its transport last saw it (Modbus poll, Sparkplug birth/death).</summary>
internal sealed class MachineConnectivity
{
    // Link changes are rare (a connect, a death, a poll failing): one lock keeps each version with its state (see TwinVersion).
    private readonly Lock _change = new();
    private readonly ConcurrentDictionary<(long Tenant, long Machine), (ConnectionState State, long Version)> _machines = new();

    public void Set(long tenantId, long machineId, ConnectionState state)
    {
        lock (_change)
        {
            _machines[(tenantId, machineId)] = (state, TwinVersion.Next());
        }
    }

    public ConnectionState? Of(long tenantId, long machineId) => _machines.TryGetValue((tenantId, machineId), out var held) ? held.State : null;

    /// <summary>The machine's link state and the <see cref="TwinVersion"/> of its last change (0: never set).</summary>
    public (ConnectionState? State, long Version) Versioned(long tenantId, long machineId)
    {
        lock (_change)
        {
            return _machines.TryGetValue((tenantId, machineId), out var held) ? held : (null, 0);
        }
    }

    public void Forget(long tenantId, long machineId)
    {
        lock (_change)
        {
            _machines.TryRemove((tenantId, machineId), out _);
        }
    }
}
