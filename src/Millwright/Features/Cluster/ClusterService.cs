using Millwright.Hosting;

namespace Millwright.Features.Cluster;

/// <summary>Runs the node: joins at start (so the host serves only once it has its share), ticks, leaves gracefully at stop.</summary>
internal sealed partial class ClusterService(ClusterNode node, TimeProvider clock, ILogger<ClusterService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await node.JoinAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(node.Options.TickInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await node.TickAsync(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // Leases run out by themselves when the store stays out of reach: nothing to undo, try again next tick.
                    LogTickFailed(e, node.NodeId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await node.LeaveAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {Node}: a tick failed; leases not renewed will run out")]
    private partial void LogTickFailed(Exception e, string node);
}
