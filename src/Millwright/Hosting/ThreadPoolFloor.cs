namespace Millwright.Hosting;

/// <summary>
/// The thread pool's floor of worker threads, raised for the platform. The telemetry writer and SQLite's calls
/// hold a pool thread while they work (Microsoft.Data.Sqlite does its I/O synchronously), so with the default floor
/// (one worker per core) a two-core machine has one worker left for everything else, and a quiet tenant's read or
/// acknowledgement waits in the queue behind a flooding tenant's work until the pool's slow thread injection catches
/// up: 6-30 ms at p99 in the fairness benchmark, 1-3 ms with this floor (docs/quotas.md, "Fair ingest").
/// </summary>
internal static class ThreadPoolFloor
{
    public const int MinimumWorkers = 8;

    public static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinimumWorkers)
        {
            ThreadPool.SetMinThreads(MinimumWorkers, io);
        }
    }
}
