using Millwright.Features.Cluster;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// This node's inbox of committed messages of the machines it owns (sent by the appender's <see cref="OwnerRoute"/>):
/// runs its per-machine observers (states, alarms, anomalies, the twin) on each, then answers, so the appender
/// acknowledges the sender only after the owner took the message. A message of a machine this node does not own
/// (any more) is answered "not the owner", and the appender sends it to the current holder.
/// </summary>
internal sealed partial class OwnerInbox(AmqpLink link, ClusterNode node, TelemetryWriter writer, ILogger<OwnerInbox> logger) : BackgroundService
{
    private long _observed;

    /// <summary>Messages of owned machines observed here that another node committed.</summary>
    public long Observed => Interlocked.Read(ref _observed);

    // A set-up that fails (RabbitMQ went between the link and the channel) is tried again a second later.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopFaults.RunUntilStoppedAsync(RunAsync, TimeSpan.FromSeconds(1), TimeProvider.System, e => LogSetUpFailed(e.GetBaseException().Message), stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        IChannel? channel = null;
        try
        {
            var connection = await link.ConnectedAsync(stoppingToken);
            channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
            var queue = IngestQueues.Owner(node.Options.Name, node.NodeId);
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
            await channel.BasicQosAsync(0, 500, global: false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            var open = channel;
            consumer.ReceivedAsync += (_, delivery) => ReceiveAsync(open, delivery, stoppingToken);
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
            LogListening(node.NodeId, queue);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (channel is not null)
            {
                try
                {
                    await channel.CloseAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
                {
                }

                await channel.DisposeAsync();
            }
        }
    }

    private async Task ReceiveAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stop)
    {
        IngestReply reply;
        try
        {
            var message = IngestCodec.Decode(delivery.Body.Span);
            if (node.TryGetLease(message.MachineId, out _))
            {
                await writer.ObserveOwnedAsync([message], stop);
                Interlocked.Increment(ref _observed);
                reply = IngestReply.Committed;
            }
            else
            {
                reply = new IngestReply($"node {node.NodeId} does not own machine {message.MachineId}");
            }
        }
        catch (FormatException e)
        {
            LogUnreadable(e);
            reply = new IngestReply("the message did not parse");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (delivery.BasicProperties.ReplyTo is { Length: > 0 } replyTo && delivery.BasicProperties.CorrelationId is { } id)
            {
                await channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, new BasicProperties { CorrelationId = id }, reply.Encode(), stop);
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stop);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException)
        {
            // The appender hears nothing and sends the message again, here or to the next owner.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} observes the machines it owns; inbox {Queue}")]
    private partial void LogListening(string node, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message sent to this owner's inbox did not parse")]
    private partial void LogUnreadable(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting up on RabbitMQ failed ({Reason}); trying again")]
    private partial void LogSetUpFailed(string reason);
}
