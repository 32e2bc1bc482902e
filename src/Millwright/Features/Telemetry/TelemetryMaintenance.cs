using Millwright.Hosting;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Background upkeep of the time-series store: checkpoints (buffered points into compressed chunks and
/// rollups, ingest log trimmed), SQLite's WAL copied into the database file, and retention (tenants' policies enforced), each on its own interval.
/// </summary>
internal sealed partial class TelemetryMaintenance(TelemetryPipeline pipeline, TelemetryStorage storage, TelemetryOptions options, TimeProvider clock, ILogger<TelemetryMaintenance> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        // A cluster node that does not append leaves the log and the chunks to the one that does.
        EveryAsync(options.CheckpointInterval, "checkpoint", ct => storage.Appends ? storage.Store.CheckpointAsync(pipeline.CheckpointSlicePoints, ct) : Task.CompletedTask, stoppingToken),
        EveryAsync(options.WalCopyInterval, "WAL copy", ct => storage.Store.CopyWalAsync(ct), stoppingToken),
        EveryAsync(options.RetentionInterval, "retention", async ct =>
        {
            if (storage.Appends)
            {
                await storage.Store.EnforceRetentionAsync(clock.GetUtcNow(), ct);
            }
        }, stoppingToken));

    private async Task EveryAsync(TimeSpan interval, string what, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // Upkeep that fails is retried on the next tick; ingest does not depend on it.
                    LogFailed(logger, e, what);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the storage service checkpoints once more as it stops.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Time-series {What} failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
