using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.ClusterIngest;

/// <summary>Commits here while this node is the appender (lease held and store reopened); forwards otherwise.</summary>
internal sealed class IngestRoute(IngestLease lease, TelemetryStorage storage, IngestChannel channel) : ITelemetryRoute
{
    public async ValueTask<Task?> ForwardAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        if (lease.Held && storage.Appends)
        {
            return null;
        }

        try
        {
            return await channel.ForwardAsync(message, cancellationToken);
        }
        catch (Exception e) when (IngestChannel.BrokerFailure(e))
        {
            // Not durable anywhere: the device is told so (and sends again) rather than disconnected or acknowledged.
            return Task.FromException(new InvalidOperationException("the platform could not forward the values to the store's appender: RabbitMQ is out of reach", e));
        }
    }
}
