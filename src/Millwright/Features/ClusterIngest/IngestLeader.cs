using Millwright.Features.Telemetry;
using Millwright.Hosting;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// Keeps the ingest lease and acts on it: the holder reopens the store (replaying what the previous appender
/// committed) and consumes the ingest queue; every other node stops appending and forwards. Joins before the
/// pipeline and the transports start (and stops after them), so no device is acknowledged by a node that has not
/// decided which of the two it is, and nothing is appended after the lease is released.
/// </summary>
internal sealed partial class IngestLeader(IngestLease lease, TelemetryStorage storage, IngestConsumer consumer, TimeProvider clock, ILogger<IngestLeader> logger)
    : BackgroundService
{
    private bool? _leading;
    private long _token;

    /// <summary>Whether this node is the appender as of its last tick.</summary>
    public bool Leading => _leading == true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await lease.Node.JoinAsync(cancellationToken);
        await ApplyAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(lease.Node.Options.TickInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await lease.Node.TickAsync(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // The lease runs out by itself while the store is out of reach; ApplyAsync below sees that.
                    LogTickFailed(e, lease.Node.NodeId);
                }

                try
                {
                    await ApplyAsync(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // The store could not be opened (it is out of reach): tried again at the next tick. Before, this
                    // ended the host when the appender's store failed during a PostgreSQL outage.
                    LogApplyFailed(e, lease.Node.NodeId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var held = lease.Node.TryGetLease(0, out var current);
        if (held && (_leading != true || _token != current.Token || !storage.Appends))
        {
            // Leading anew, or again under a new token (the lease was lost and re-taken within one tick, and
            // someone may have appended in between), or after the store's fence refused a write: the store is
            // reopened, replaying the database's truth, and fenced by the token held now.
            if (_leading == true)
            {
                await consumer.StopAsync();
                LogReleading(lease.Node.NodeId, _token, current.Token);
            }

            await storage.LeadAsync(new IngestFence(lease.Node, current, clock), cancellationToken);
            _leading = true;
            _token = current.Token;
            consumer.Start();
            LogLeading(lease.Node.NodeId, current.Token);
        }
        else if (!held && _leading != false)
        {
            storage.Follow();
            _leading = false;
            await consumer.StopAsync();
            LogFollowing(lease.Node.NodeId);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The pipeline stopped before this (it starts after it): nothing more is appended here. A last
        // checkpoint while the lease is still held, then released at once, so another node becomes the
        // appender on its next tick rather than after expiry.
        await base.StopAsync(cancellationToken);
        await consumer.StopAsync();
        if (_leading == true && lease.Held && storage.Appends)
        {
            await storage.Store.CheckpointAsync(cancellationToken);
        }

        storage.Follow();
        await lease.Node.LeaveAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} is now the store's appender (fencing token {Token})")]
    private partial void LogLeading(string node, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {Node} reopens the store: its appender's token was {Old}, the lease now has {New} or the fence refused a write")]
    private partial void LogReleading(string node, long old, long @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} forwards telemetry to the store's appender")]
    private partial void LogFollowing(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {Node} could not open the store as its appender; trying again at the next tick")]
    private partial void LogApplyFailed(Exception e, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {Node}: an ingest-lease tick failed")]
    private partial void LogTickFailed(Exception e, string node);
}
