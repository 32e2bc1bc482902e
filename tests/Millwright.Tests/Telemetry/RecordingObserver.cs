using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Tests.Telemetry;

/// <summary>A post-commit observer that writes what it saw, and whether the store already held it, into a shared log.</summary>
internal sealed class RecordingObserver(string name, int order, List<string> log, Func<DeviceMessage, bool> durable) : ITelemetryObserver
{
    public int Order => order;

    public ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        lock (log)
        {
            foreach (var message in batch)
            {
                log.Add($"{name}: {message.Source} {(durable(message) ? "durable" : "NOT durable")}");
            }
        }

        return ValueTask.CompletedTask;
    }
}
