using Millwright.Features.Cluster;
using Millwright.Features.Telemetry;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// The appender's side: consumes the ingest queue while this node holds the ingest lease, admits each message to
/// the local pipeline and, once it is committed, replies to the forwarding node and only then acknowledges the
/// delivery. A crash in between leaves the delivery unacknowledged: the broker gives it to the next appender,
/// which stores nothing twice (the store keeps the first value of a series at a timestamp) and replies again.
/// </summary>
internal sealed partial class IngestConsumer(AmqpLink link, TelemetryPipeline pipeline, ClusterOptions options, ILogger<IngestConsumer> logger) : IAsyncDisposable
{
    /// <summary>Deliveries in flight at once: enough to fill the pipeline's group commits.</summary>
    private const ushort Prefetch = 2000;

    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _lock = new();
    private CancellationTokenSource? _running;
    private Task _loop = Task.CompletedTask;
    private long _committed;

    /// <summary>Forwarded messages this node committed and confirmed.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    public void Start()
    {
        lock (_lock)
        {
            if (_running is not null)
            {
                return;
            }

            _running = new CancellationTokenSource();
            _loop = ConsumeAsync(_running.Token);
        }
    }

    public async Task StopAsync()
    {
        CancellationTokenSource? running;
        Task loop;
        lock (_lock)
        {
            running = _running;
            loop = _loop;
            _running = null;
        }

        if (running is null)
        {
            return;
        }

        await running.CancelAsync();
        await loop;
        running.Dispose();
    }

    private async Task ConsumeAsync(CancellationToken stop)
    {
        IChannel? channel = null;
        try
        {
            var connection = await link.ConnectedAsync(stop);
            channel = await connection.CreateChannelAsync(cancellationToken: stop);
            await IngestQueues.DeclareIngestAsync(channel, options.Name, stop);
            await channel.BasicQosAsync(0, Prefetch, global: false, stop);
            var consumer = new AsyncEventingBasicConsumer(channel);
            var open = channel;
            consumer.ReceivedAsync += (_, delivery) => ReceiveAsync(open, delivery, stop);
            await channel.BasicConsumeAsync(IngestQueues.Ingest(options.Name), autoAck: false, consumer, stop);
            LogConsuming(options.NodeId);
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (channel is not null)
            {
                // Closing gives every delivery not yet acknowledged back to the queue, for the next appender.
                try
                {
                    await channel.CloseAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
                {
                }

                await channel.DisposeAsync();
                LogStopped(options.NodeId);
            }
        }
    }

    private async Task ReceiveAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stop)
    {
        var tag = delivery.DeliveryTag;
        var replyTo = delivery.BasicProperties.ReplyTo;
        var id = delivery.BasicProperties.CorrelationId;
        Admission admission;
        try
        {
            var message = IngestCodec.Decode(delivery.Body.Span);
            // Waits while the pipeline is full: back-pressure reaches the broker, which holds the rest.
            admission = await pipeline.AdmitAsync(message, null, stop);
        }
        catch (FormatException e)
        {
            LogUnreadable(e, tag);
            await SendAsync(() => channel.BasicNackAsync(tag, multiple: false, requeue: false, stop));
            return;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        if (admission.Stored is not { } stored)
        {
            await FinishAsync(channel, tag, replyTo, id, new IngestReply(admission.Refusal ?? "the pipeline had no room"), stop);
            return;
        }

        // The next delivery is read while this one commits: the pipeline groups them into one commit.
        _ = CompleteAsync(channel, stored, tag, replyTo, id, stop);
    }

    private async Task CompleteAsync(IChannel channel, Task stored, ulong tag, string? replyTo, string? id, CancellationToken stop)
    {
        try
        {
            await stored;
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // Not stored: back to the queue, to be tried again (here or on the next appender).
            LogNotStored(e, tag);
            await SendAsync(() => channel.BasicNackAsync(tag, multiple: false, requeue: true, stop));
            return;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return;
        }

        await FinishAsync(channel, tag, replyTo, id, IngestReply.Committed, stop);
        Interlocked.Increment(ref _committed);
    }

    private async Task FinishAsync(IChannel channel, ulong tag, string? replyTo, string? id, IngestReply reply, CancellationToken stop)
    {
        await SendAsync(async () =>
        {
            if (replyTo is { Length: > 0 } && id is not null)
            {
                // Not mandatory: a forwarding node that died meanwhile has no reply queue, and its device sends again.
                await channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, new BasicProperties { CorrelationId = id }, reply.Encode(), stop);
            }

            await channel.BasicAckAsync(tag, multiple: false, stop);
        });
    }

    private async Task SendAsync(Func<ValueTask> send)
    {
        await _send.WaitAsync(CancellationToken.None);
        try
        {
            await send();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException)
        {
            // The channel closed (leadership lost, broker restarted): the broker gives the delivery to the next appender.
        }
        finally
        {
            _send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _send.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} is the store's appender: consuming forwarded telemetry")]
    private partial void LogConsuming(string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} stopped consuming forwarded telemetry")]
    private partial void LogStopped(string node);

    [LoggerMessage(Level = LogLevel.Error, Message = "A forwarded message (delivery {Tag}) did not parse; dropped")]
    private partial void LogUnreadable(Exception e, ulong tag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A forwarded message (delivery {Tag}) was not stored; back to the queue")]
    private partial void LogNotStored(Exception e, ulong tag);
}
