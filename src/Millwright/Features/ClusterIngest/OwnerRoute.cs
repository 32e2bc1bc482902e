using Millwright.Features.Cluster;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// On the appender: each committed message whose machine another node owns goes to that owner's inbox, and the
/// writer goes on (acknowledging the senders) only once every owner has run its observers on it. A message whose
/// owner is unknown, gone or no longer the owner (a hand-over under way) is sent again after the next tick, to
/// whoever holds the machine's bucket then: the pipeline waits meanwhile (back-pressure), nothing is skipped.
/// </summary>
internal sealed partial class OwnerRoute(ClusterNode node, IngestChannel channel, TimeProvider clock, ILogger<OwnerRoute> logger) : IObserverRoute
{
    /// <summary>An owner that has not answered by then is asked again (or its successor is).</summary>
    private static readonly TimeSpan OwnerTimeout = TimeSpan.FromSeconds(5);

    public async ValueTask<IReadOnlyList<DeviceMessage>> RouteAsync(IReadOnlyList<DeviceMessage> committed, CancellationToken cancellationToken)
    {
        var local = new List<DeviceMessage>(committed.Count);
        List<DeviceMessage>? remote = null;
        foreach (var message in committed)
        {
            if (node.TryGetLease(message.MachineId, out _))
            {
                local.Add(message);
            }
            else
            {
                (remote ??= []).Add(message);
            }
        }

        while (remote is { Count: > 0 })
        {
            remote = await SendAsync(remote, cancellationToken);
            // A machine whose bucket this node took meanwhile (its owner left or died) is observed here.
            var taken = remote.ToLookup(m => node.TryGetLease(m.MachineId, out _));
            local.AddRange(taken[true]);
            remote = [.. taken[false]];
            if (remote.Count > 0)
            {
                LogRetrying(remote.Count, remote[0].MachineId);
                await Task.Delay(node.Options.TickInterval, clock, cancellationToken);
            }
        }

        return local;
    }

    /// <summary>Sends each message to its machine's holder; returns those that must be sent again.</summary>
    private async Task<List<DeviceMessage>> SendAsync(List<DeviceMessage> messages, CancellationToken cancellationToken)
    {
        var again = new List<DeviceMessage>();
        var sent = new List<(DeviceMessage Message, Task Reply)>(messages.Count);
        foreach (var message in messages)
        {
            var owner = node.HolderOf(message.MachineId);
            if (owner is null || owner == node.NodeId)
            {
                // Changing hands (or this node's own lease lapsed): the next tick tells who holds it.
                again.Add(message);
                continue;
            }

            try
            {
                sent.Add((message, await channel.SendAsync(IngestQueues.Owner(node.Options.Name, owner), message, OwnerTimeout, cancellationToken)));
            }
            catch (RabbitMQ.Client.Exceptions.PublishException)
            {
                // The owner's inbox is gone with its node: its buckets move to the survivors.
                again.Add(message);
            }
            catch (Exception e) when (IngestChannel.BrokerFailure(e))
            {
                // The broker is out of reach (restarting): the client reconnects; sent again after the next tick.
                again.Add(message);
            }
        }

        foreach (var (message, reply) in sent)
        {
            try
            {
                await reply;
            }
            catch (InvalidOperationException e)
            {
                LogNotTaken(message.MachineId, e.Message);
                again.Add(message);
            }
        }

        return again;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} committed messages wait for their machines' owners (machine {Machine} among them); sending again after the next tick")]
    private partial void LogRetrying(int count, long machine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The owner of machine {Machine} did not take its message: {Reason}")]
    private partial void LogNotTaken(long machine, string reason);
}
