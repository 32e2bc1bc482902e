using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Where an admitted message is committed. A single node commits everything itself and registers no route; a
/// cluster node that is not the store's appender forwards the message to the one that is (Features/ClusterIngest).
/// </summary>
internal interface ITelemetryRoute
{
    /// <summary>
    /// Null: commit here. Otherwise the message was handed to another node, and the task completes once that
    /// node committed it (faults when it refused or could not store it): the sender acknowledges only then.
    /// </summary>
    ValueTask<Task?> ForwardAsync(DeviceMessage message, CancellationToken cancellationToken);
}
