using System.Collections.Concurrent;

namespace Millwright.Features.Connectivity;

/// <summary>
/// The Sparkplug B address each machine was last born at (NBIRTH for a node, DBIRTH for a device under a
/// gateway): the ingest writes it, the machine-command port reads it to send NCMD or DCMD. In memory like
/// <see cref="Telemetry.MachineConnectivity"/>: after a restart a machine is commandable again once it is reborn,
/// which the host asks for as soon as the node publishes anything.
/// </summary>
internal sealed class SparkplugAddresses
{
    private readonly ConcurrentDictionary<(long Tenant, long Machine), SparkplugAddress> _machines = new();

    public void Set(long tenantId, long machineId, SparkplugAddress address) => _machines[(tenantId, machineId)] = address;

    public SparkplugAddress? Of(long tenantId, long machineId) => _machines.TryGetValue((tenantId, machineId), out var address) ? address : null;
}
