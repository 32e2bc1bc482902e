using System.Collections.Concurrent;
using Millwright.Features.Cluster;
using Millwright.Messages;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// The forwarding side: publishes a message to the ingest queue with a publisher confirm (the broker has it in
/// its quorum queue before the call returns) and completes the message's task when the appender's reply comes
/// back on this node's reply queue. The device's acknowledgement waits for that reply, so it means "committed
/// on the appender", not "handed to the broker".
/// </summary>
internal sealed partial class IngestChannel(AmqpLink link, ClusterOptions options, TimeProvider clock, ILogger<IngestChannel> logger) : IAsyncDisposable
{
    /// <summary>A forwarded message with no answer by then fails, and the device sends it again (stored once).</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
    private readonly SemaphoreSlim _open = new(1, 1);
    private IChannel? _channel;

    public string ReplyQueue { get; } = IngestQueues.Replies(options.Name, options.NodeId);

    public int Waiting => _waiting.Count;

    public Task<Task> ForwardAsync(DeviceMessage message, CancellationToken cancellationToken) =>
        SendAsync(IngestQueues.Ingest(options.Name), message, ReplyTimeout, cancellationToken);

    /// <summary>
    /// Publishes to <paramref name="queue"/> (the ingest queue, or a machine owner's inbox) and returns the task of
    /// its answer. Throws <see cref="RabbitMQ.Client.Exceptions.PublishException"/> when the broker could not route
    /// it (an owner's inbox is gone with its node).
    /// </summary>
    public async Task<Task> SendAsync(string queue, DeviceMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var channel = await ChannelAsync(cancellationToken);
        var id = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = reply;
        var properties = new BasicProperties { Persistent = true, CorrelationId = id, ReplyTo = ReplyQueue, ContentType = "application/json" };
        try
        {
            // Mandatory, with confirms tracked: returns once the broker took it, throws if it could not.
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, IngestCodec.Encode(message), cancellationToken);
        }
        catch
        {
            _waiting.TryRemove(id, out _);
            throw;
        }

        return WaitAsync(id, reply.Task, timeout);
    }

    /// <summary>The broker connection failed or is recovering (restart, network): worth trying again, not a bug.</summary>
    public static bool BrokerFailure(Exception e) =>
        e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException
            or System.Net.Sockets.SocketException or ObjectDisposedException;

    private async Task WaitAsync(string id, Task reply, TimeSpan timeout)
    {
        try
        {
            await reply.WaitAsync(timeout, clock);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"no node confirmed the message within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _channel) is { } ready)
        {
            return ready;
        }

        await _open.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not null)
            {
                return _channel;
            }

            var connection = await link.ConnectedAsync(cancellationToken);
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            await IngestQueues.DeclareIngestAsync(channel, options.Name, cancellationToken);
            await channel.QueueDeclareAsync(ReplyQueue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (delivery.BasicProperties.CorrelationId is { } id && _waiting.TryRemove(id, out var waiting))
                {
                    var reply = IngestReply.Decode(delivery.Body.Span);
                    if (reply.Problem is null)
                    {
                        waiting.TrySetResult();
                    }
                    else
                    {
                        waiting.TrySetException(new InvalidOperationException(reply.Problem));
                    }
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(ReplyQueue, autoAck: true, consumer, cancellationToken);
            LogReady(options.NodeId, ReplyQueue);
            Volatile.Write(ref _channel, channel);
            return channel;
        }
        finally
        {
            _open.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var waiting in _waiting.Values)
        {
            waiting.TrySetCanceled();
        }

        if (_channel is { } channel)
        {
            await channel.DisposeAsync();
        }

        _open.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} forwards telemetry over RabbitMQ; replies on {Queue}")]
    private partial void LogReady(string node, string queue);
}
