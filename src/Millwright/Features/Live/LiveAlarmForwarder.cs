using Millwright.Features.Alarms;

namespace Millwright.Features.Live;

/// <summary>
/// Hands every alarm transition to the connections watching its machine. Its queue is bounded and drops the
/// oldest transitions when the feed cannot keep up, so the alarm writer is never held back; a connection that
/// misses some reads the alarm list over REST (the console does so on <c>eventsLost</c> too).
/// </summary>
internal sealed class LiveAlarmForwarder(AlarmEvents events, LiveFeed feed) : BackgroundService
{
    private const int Capacity = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = events.Subscribe(Capacity);
        try
        {
            await foreach (var e in reader.ReadAllAsync(stoppingToken))
            {
                feed.PublishEvent(e.TenantId, e.MachineId, $"alarm:{e.AlarmId}", LiveEventMessages.Alarm(e));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            events.Unsubscribe(reader);
        }
    }
}
