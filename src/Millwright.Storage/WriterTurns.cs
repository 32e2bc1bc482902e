using System.Collections.Concurrent;

namespace Millwright.Storage;

/// <summary>
/// Turns at SQLite's one write lock for the transactions of this process, first come first served. SQLite lets a
/// writer that finds the lock taken sleep and poll (up to 100 ms a try), so a component that begins its next
/// transaction right after its commit (a sweep of 100,000 machines in chunks) takes the lock again and again while
/// the telemetry writer sleeps, and acknowledgements stall for the whole sweep. Waiting here in order instead, each
/// waiter gets the lock as soon as the one before it ends. Other processes on the same file (a CLI command) still
/// meet SQLite's own busy wait.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "One per database file for the life of the process; a SemaphoreSlim whose wait handle is never asked for holds nothing to free.")]
internal sealed class WriterTurns
{
    // As long as SQLite's busy timeout: a turn not given by then (a transaction opened inside another, or a holder
    // that took too long) goes on without one and meets SQLite's own busy wait, so such a writer fails after both
    // waits (60 s) where it failed after one before. Taken inside another turn it could never succeed either way.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, WriterTurns> ByFile = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _lock = new(1, 1);

    private WriterTurns()
    {
    }

    /// <summary>The turns of one database file, shared by every <see cref="SqliteDatabase"/> of the process on it.</summary>
    public static WriterTurns For(string path) => ByFile.GetOrAdd(path, static _ => new WriterTurns());

    public async ValueTask<IDisposable?> WaitAsync(CancellationToken cancellationToken)
    {
        return await _lock.WaitAsync(Patience, cancellationToken) ? new Turn(_lock) : null;
    }

    private sealed class Turn(SemaphoreSlim held) : IDisposable
    {
        private SemaphoreSlim? _held = held;

        public void Dispose() => Interlocked.Exchange(ref _held, null)?.Release();
    }
}
