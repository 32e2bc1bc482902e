using System.Collections.Concurrent;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.Connectivity;
using Millwright.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterLeaders;

/// <summary>
/// Carries a command for a machine this node has not heard to the machine's owner, whose port sends it over the
/// transport it knows (its Modbus or OPC UA poller, or MQTT, which the bridge takes to the device's node), and
/// brings the owner's receipt back. Each node takes commands on its exclusive queue
/// <c>millwright.NAME.commands.NODE</c> and answers on the sender's <c>millwright.NAME.command-receipts.NODE</c>.
/// A command whose owner cannot be reached, or whose receipt does not come within <see cref="ReceiptTimeout"/>, is not
/// a refusal by the machine: its receipt says it went towards the owner unconfirmed, and the sender waits for the
/// machine's answer as for any command, so a machine that never gets it is timed out and avoided while another can
/// take the job, never barred from it. The broker drops a command the owner has not taken within that time.
/// </summary>
internal sealed partial class CommandForwarder(AmqpLink link, ClusterNode node, MachineCommandPort port, ILogger<CommandForwarder> logger)
    : BackgroundService, IMachineCommandRoute
{
    public static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandReceipt>> _waiting = new();
    private readonly SemaphoreSlim _open = new(1, 1);
    private IChannel? _publisher;
    private long _carried;

    /// <summary>Commands this node carried to other nodes.</summary>
    public long Carried => Interlocked.Read(ref _carried);

    private string Commands(string nodeId) => $"millwright.{node.Options.Name}.commands.{nodeId}";

    private string Receipts(string nodeId) => $"millwright.{node.Options.Name}.command-receipts.{nodeId}";

    public bool CarriedElsewhere(long machineId) => node.HolderOf(machineId) is { } owner && owner != node.NodeId && !node.TryGetLease(machineId, out _);

    public async ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        if (node.HolderOf(command.MachineId) is not { } owner || owner == node.NodeId)
        {
            return await port.SendHereAsync(command, cancellationToken);
        }

        var id = Guid.NewGuid().ToString("N");
        var receipt = new TaskCompletionSource<CommandReceipt>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = receipt;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReceiptTimeout);
        try
        {
            var channel = await PublisherAsync(deadline.Token);
            var properties = new BasicProperties
            {
                CorrelationId = id, ReplyTo = Receipts(node.NodeId), ContentType = "application/json",
                Expiration = ((long)ReceiptTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            await channel.BasicPublishAsync(string.Empty, Commands(owner), mandatory: true, properties, CommandCodec.Encode(command), deadline.Token);
            Interlocked.Increment(ref _carried);
            return await receipt.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unconfirmed(owner, $"no receipt within {ReceiptTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.PublishException || IngestChannel.BrokerFailure(e))
        {
            return Unconfirmed(owner, $"not delivered: {e.Message}");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>Neither sent nor refused as far as this node knows: the machine's answer (or its absence) tells.</summary>
    private static CommandReceipt Unconfirmed(string owner, string why) => CommandReceipt.SentTo("cluster", $"node {owner}, unconfirmed ({why})");

    private async Task<IChannel> PublisherAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _publisher) is { } ready)
        {
            return ready;
        }

        await _open.WaitAsync(cancellationToken);
        try
        {
            if (_publisher is null)
            {
                var connection = await link.ConnectedAsync(cancellationToken);
                Volatile.Write(ref _publisher, await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken));
            }

            return _publisher!;
        }
        finally
        {
            _open.Release();
        }
    }

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
            await channel.QueueDeclareAsync(Commands(node.NodeId), durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
            await channel.QueueDeclareAsync(Receipts(node.NodeId), durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
            var commands = new AsyncEventingBasicConsumer(channel);
            commands.ReceivedAsync += (_, delivery) =>
            {
                // Each command on its own: a slow write to one machine does not hold up the others or the receipts.
                var body = delivery.Body.ToArray();
                _ = Task.Run(() => CarryAsync(body, delivery.BasicProperties.ReplyTo, delivery.BasicProperties.CorrelationId, stoppingToken), CancellationToken.None);
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(Commands(node.NodeId), autoAck: true, commands, stoppingToken);
            var receipts = new AsyncEventingBasicConsumer(channel);
            receipts.ReceivedAsync += (_, delivery) =>
            {
                if (delivery.BasicProperties.CorrelationId is { } id && _waiting.TryRemove(id, out var waiting))
                {
                    try
                    {
                        waiting.TrySetResult(CommandCodec.DecodeReceipt(delivery.Body.Span));
                    }
                    catch (FormatException e)
                    {
                        waiting.TrySetResult(CommandReceipt.Refused(MachineCommandPort.MqttJson, $"the owner's receipt did not parse: {e.Message}"));
                    }
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(Receipts(node.NodeId), autoAck: true, receipts, stoppingToken);
            LogListening(node.NodeId);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var waiting in _waiting.Values)
            {
                waiting.TrySetCanceled(stoppingToken);
            }

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

    /// <summary>Sends another node's command through this node's port (as the machine's owner) and answers with the receipt.</summary>
    private async Task CarryAsync(byte[] body, string? replyTo, string? id, CancellationToken stop)
    {
        CommandReceipt receipt;
        try
        {
            receipt = await port.SendHereAsync(CommandCodec.DecodeCommand(body), stop);
        }
        catch (FormatException e)
        {
            LogUnreadable(e);
            receipt = CommandReceipt.Refused(MachineCommandPort.MqttJson, $"the command did not parse on node {node.NodeId}: {e.Message}");
        }
        catch (Exception e) when (LoopFaults.Survives(e, stop))
        {
            // A transport's failure (its store read, its socket) is the sender's to hear, not this consumer's end.
            LogCarryFailed(e);
            receipt = CommandReceipt.Refused(MachineCommandPort.MqttJson, $"node {node.NodeId} could not send the command: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (replyTo is { Length: > 0 } && id is not null)
        {
            try
            {
                var channel = await PublisherAsync(stop);
                await channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, new BasicProperties { CorrelationId = id }, CommandCodec.Encode(receipt), stop);
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException || IngestChannel.BrokerFailure(e))
            {
                // The sender's wait runs out, and it waits for the machine's answer.
            }
        }
    }

    public override void Dispose()
    {
        _publisher?.Dispose();
        _open.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} sends the commands other nodes carry to it for the machines it owns")]
    private partial void LogListening(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A command carried to this node could not be sent")]
    private partial void LogCarryFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "A command carried to this node did not parse")]
    private partial void LogUnreadable(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting up on RabbitMQ failed ({Reason}); trying again")]
    private partial void LogSetUpFailed(string reason);
}
