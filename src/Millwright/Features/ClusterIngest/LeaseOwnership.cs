using Millwright.Api;
using Millwright.Features.Cluster;
using Millwright.Features.Telemetry;

namespace Millwright.Features.ClusterIngest;

/// <summary>A machine is this node's while it holds the lease of the machine's bucket, by its own clock.</summary>
internal sealed class LeaseOwnership(ClusterNode node) : IMachineOwnership
{
    public bool Owns(long machineId) => node.TryGetLease(machineId, out _);

    public long? TokenOf(long machineId) => node.TryGetLease(machineId, out var lease) ? lease.Token : null;

    public long Version => node.HeldChanges;

    public Task FenceAsync(Session session, long machineId, long? token = null) => node.FenceAsync(session, machineId, token);
}
