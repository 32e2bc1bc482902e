using System.Threading.Channels;

namespace Millwright.Features.Alarms;

/// <summary>
/// Every alarm transition, in process, for whoever listens: the webhook notifier, and the live feed once the lead
/// wires it (<c>var reader = alarmEvents.Subscribe(capacity: 1000)</c> and forward what it reads). Each subscriber has
/// its own bounded queue; a slow one loses its own oldest events and never holds back the alarm writer.
/// </summary>
internal sealed class AlarmEvents
{
    private readonly Lock _gate = new();
    private Channel<AlarmEventMessage>[] _subscribers = [];

    public ChannelReader<AlarmEventMessage> Subscribe(int capacity, BoundedChannelFullMode whenFull = BoundedChannelFullMode.DropOldest)
    {
        var channel = Channel.CreateBounded<AlarmEventMessage>(new BoundedChannelOptions(capacity) { FullMode = whenFull, SingleReader = true });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        return channel.Reader;
    }

    /// <summary>Stops delivering to a reader returned by <see cref="Subscribe"/>.</summary>
    public void Unsubscribe(ChannelReader<AlarmEventMessage> reader)
    {
        lock (_gate)
        {
            var gone = _subscribers.FirstOrDefault(c => c.Reader == reader);
            _subscribers = [.. _subscribers.Where(c => c != gone)];
            gone?.Writer.TryComplete();
        }
    }

    /// <summary>Returns how many subscribers had no room (a DropWrite subscriber refused the event).</summary>
    public int Publish(AlarmEventMessage message)
    {
        var refused = 0;
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.Writer.TryWrite(message))
            {
                refused++;
            }
        }

        return refused;
    }
}
