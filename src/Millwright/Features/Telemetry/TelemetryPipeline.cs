using Millwright.Messages;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Carries every <see cref="DeviceMessage"/> from the transports to storage. Admission checks the message
/// against its machine's type and queues it in one bounded channel; when the channel is full, senders wait
/// (MQTT: the connection stops being read) or are told to retry (HTTP 503). One writer drains the channel in
/// batches, commits each batch (group commit) and only then completes the messages' <see cref="Admission.Stored"/>
/// tasks, once the post-commit observers (<see cref="ITelemetryObserver"/>) have seen them. Nothing accepted is ever dropped.
/// </summary>
internal sealed partial class TelemetryPipeline : BackgroundService
{
    public const string MeterName = "Millwright.Telemetry";

    private readonly Channel<PendingMessage> _channel;
    private readonly MachineSchemas _schemas;
    private readonly TelemetryWriter _writer;
    private readonly TelemetryOptions _options;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _readings;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _commitSeconds;

    public TelemetryPipeline(MachineSchemas schemas, TelemetryWriter writer, TelemetryOptions options, TimeProvider clock, IMeterFactory meters)
    {
        _schemas = schemas;
        _writer = writer;
        _options = options;
        _clock = clock;
        _channel = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("millwright.telemetry.messages", description: "Device messages stored");
        _readings = meter.CreateCounter<long>("millwright.telemetry.readings", description: "Tag values stored");
        _refused = meter.CreateCounter<long>("millwright.telemetry.refused", description: "Device messages refused at admission");
        _commitSeconds = meter.CreateHistogram<double>("millwright.telemetry.commit", "s", "Time to make one batch durable");
        meter.CreateObservableGauge("millwright.telemetry.queue", () => _channel.Reader.Count, description: "Messages waiting to be stored");
    }

    /// <summary>
    /// Checks and queues the message. With <paramref name="patience"/>, waits at most that long for room and
    /// answers <see cref="Admission.Full"/> after; without, waits as long as it takes (back-pressure).
    /// </summary>
    public async ValueTask<Admission> AdmitAsync(DeviceMessage message, TimeSpan? patience, CancellationToken cancellationToken)
    {
        var schema = await _schemas.GetAsync(message.TenantId, message.MachineId, cancellationToken);
        if (schema is null)
        {
            _refused.Add(1);
            return Admission.Refused("the machine no longer exists");
        }

        List<TelemetryFlag>? flags = null;
        if (schema.Check(message.Readings, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _options, ref flags) is { } refusal)
        {
            _refused.Add(1);
            return Admission.Refused(refusal);
        }

        var pending = new PendingMessage(message, schema, flags);
        if (_channel.Writer.TryWrite(pending))
        {
            return Admission.Accepted(pending.Stored);
        }

        if (patience is null)
        {
            await _channel.Writer.WriteAsync(pending, cancellationToken);
            return Admission.Accepted(pending.Stored);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience.Value);
        try
        {
            await _channel.Writer.WriteAsync(pending, deadline.Token);
            return Admission.Accepted(pending.Stored);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Admission.Full;
        }
    }

    /// <summary>Admits and waits until stored: for transports with nothing to acknowledge in between (Modbus polls).</summary>
    public async ValueTask<string?> StoreAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        var admission = await AdmitAsync(message, null, cancellationToken);
        if (admission.Stored is { } stored)
        {
            await stored.WaitAsync(cancellationToken);
        }

        return admission.Refusal;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<PendingMessage>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Group commit: take what is waiting, up to a bound, and make it durable in one transaction.
                // While it commits, the next batch gathers in the channel.
                var points = 0;
                while (points < _options.MaxBatchPoints && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    points += pending.Message.Readings.Count;
                }

                await CommitAsync(batch, points, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was not committed was not acknowledged; devices send it again.
            foreach (var pending in batch)
            {
                pending.Abandon();
            }
        }
    }

    private async Task CommitAsync(List<PendingMessage> batch, int points, CancellationToken stoppingToken)
    {
        var started = _clock.GetTimestamp();
        try
        {
            await _writer.WriteAsync(batch, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The store failed: nobody is told "stored"; senders see a failure and keep their data.
            LogCommitFailed(_writer.Logger, e, batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }

            return;
        }

        _commitSeconds.Record(_clock.GetElapsedTime(started).TotalSeconds);
        _messages.Add(batch.Count);
        _readings.Add(points);
        // Observers before acknowledgements: a sender that got its acknowledgement reads its own values back.
        await _writer.AfterCommitAsync(batch, stoppingToken);
        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a batch of {Count} telemetry messages failed; none of them was acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);
}
