namespace Millwright.Features.Telemetry;

/// <summary>
/// When a set of pollers (Modbus, OPC UA) looks at the registry again: on request, every interval (for changes made
/// on another node), and in a cluster as soon as the machines this node owns change, so that a machine's new owner
/// starts polling it within a second of taking it and the old owner stops. Only the owner polls a machine.
/// </summary>
internal static class PollerSync
{
    private static readonly TimeSpan OwnershipCheck = TimeSpan.FromSeconds(1);

    /// <summary>Whether this node polls the machine: a single node polls every machine, a cluster node the machines it owns.</summary>
    public static bool Polls(IMachineOwnership? ownership, long machineId) => ownership?.Owns(machineId) ?? true;

    /// <param name="seen">The ownership version read before the last sync, so a change during the sync is not missed.</param>
    public static async Task WaitAsync(SemaphoreSlim refresh, TimeSpan interval, IMachineOwnership? ownership, long seen, CancellationToken stoppingToken)
    {
        var version = seen;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(interval);
        try
        {
            while (!await refresh.WaitAsync(ownership is null ? Timeout.InfiniteTimeSpan : OwnershipCheck, timeout.Token))
            {
                if (ownership!.Version != version)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The periodic resync.
        }
    }
}
