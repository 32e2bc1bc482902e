using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Millwright.Features.Alarms;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Carries every <see cref="DeviceMessage"/> from the transports to its consumers through one bounded
/// channel. When it is full, senders wait up to their own deadline and are then told to back off (HTTP 503,
/// MQTT: the connection stops being read); nothing already accepted is dropped.
/// </summary>
internal sealed class TelemetryPipeline : BackgroundService
{
    public const string MeterName = "Millwright.Telemetry";

    private readonly Channel<DeviceMessage> _channel;
    private readonly LatestValues _latest;
    private readonly AlarmEngine _alarms;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _readings;

    public TelemetryPipeline(LatestValues latest, AlarmEngine alarms, IMeterFactory meters, int capacity = 10_000)
    {
        _latest = latest;
        _alarms = alarms;
        _channel = Channel.CreateBounded<DeviceMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("millwright.telemetry.messages", description: "Device messages taken in");
        _readings = meter.CreateCounter<long>("millwright.telemetry.readings", description: "Tag values taken in");
        meter.CreateObservableGauge("millwright.telemetry.queue", () => _channel.Reader.Count, description: "Messages waiting in the pipeline");
    }

    /// <summary>Queues the message, waiting at most <paramref name="patience"/> for room; false means the platform is saturated.</summary>
    public async ValueTask<bool> TryPublishAsync(DeviceMessage message, TimeSpan patience, CancellationToken cancellationToken)
    {
        if (_channel.Writer.TryWrite(message))
        {
            return true;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        try
        {
            await _channel.Writer.WriteAsync(message, deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Queues the message, waiting as long as it takes for room (the MQTT path: the client's PUBACK waits too).</summary>
    public ValueTask PublishAsync(DeviceMessage message, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(message, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var message))
                {
                    _latest.Apply(message);
                    _alarms.Observe(message);
                    _messages.Add(1);
                    _readings.Add(message.Readings.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
