using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Where a committed message is observed. A single node observes everything itself and registers no route; a
/// cluster node hands each message whose machine another node owns to that owner, whose observers (states,
/// alarms, anomalies) then run on it instead (Features/ClusterIngest), so a machine is evaluated by one node only.
/// </summary>
internal interface IObserverRoute
{
    /// <summary>
    /// Hands the messages of machines owned elsewhere to their owners and returns once every owner has taken
    /// them; returns the messages to observe here. The writer still gives the whole batch to observers that
    /// are not <see cref="ITelemetryObserver.OnOwnerOnly"/> (the twin, so reads on this node see what it committed).
    /// </summary>
    ValueTask<IReadOnlyList<DeviceMessage>> RouteAsync(IReadOnlyList<DeviceMessage> committed, CancellationToken cancellationToken);
}
