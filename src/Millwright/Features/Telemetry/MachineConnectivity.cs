using Millwright.Messages;
using System.Collections.Concurrent;

namespace Millwright.Features.Telemetry;

/// <summary>Whether each machine's connection is up, as its transport last saw it (Modbus poll, Sparkplug birth/death).</summary>
internal sealed class MachineConnectivity
{
    private readonly ConcurrentDictionary<(long Tenant, long Machine), ConnectionState> _machines = new();

    public void Set(long tenantId, long machineId, ConnectionState state) => _machines[(tenantId, machineId)] = state;

    public ConnectionState? Of(long tenantId, long machineId) => _machines.TryGetValue((tenantId, machineId), out var state) ? state : null;

    public void Forget(long tenantId, long machineId) => _machines.TryRemove((tenantId, machineId), out _);
}
