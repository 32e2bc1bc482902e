using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.ClusterIngest;

/// <summary>Commits here while this node is the appender (lease held and store reopened); forwards otherwise.</summary>
internal sealed class IngestRoute(IngestLease lease, TelemetryStorage storage, IngestChannel channel) : ITelemetryRoute
{
    public async ValueTask<Task?> ForwardAsync(DeviceMessage message, CancellationToken cancellationToken) =>
        lease.Held && storage.Appends ? null : await channel.ForwardAsync(message, cancellationToken);
}
