using Millwright.Messages;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Owns the time-series store for the host's lifetime. Started before the pipeline and the transports (hosted
/// services start in registration order): opening replays the ingest log, so every point acknowledged before a
/// crash is back, and the twin is rebuilt from the store before the first new value arrives. Stopped after them,
/// with a last checkpoint.
/// </summary>
internal sealed class TelemetryStorage(IDatabase database, TelemetryOptions options, LatestValues latest, TimeProvider clock) : IHostedService, IAsyncDisposable
{
    /// <summary>At most one reopening a second while the database stays out of reach.</summary>
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reopening = new(1, 1);
    private TimeSeriesStore? _store;
    private IWriteFence? _fence;
    private DateTimeOffset _nextRecovery;
    private volatile bool _follower;

    public TimeSeriesStore Store => _store ?? throw new InvalidOperationException("the time-series store is not open yet");

    /// <summary>
    /// Whether this node appends, checkpoints and trims: always on a single node. The store has one appender
    /// (it numbers log rows and keeps heads in memory), so in cluster mode only the ingest leader does.
    /// </summary>
    public bool Appends => !_follower && _store?.FencedOut != true;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = await TimeSeriesStore.OpenAsync(database, StoreOptions(options), clock, cancellationToken);
        RestoreTwin(_store, baseline: true);
    }

    /// <summary>
    /// The twin learns every series' newest stored point (at start, and when this node takes over appending); at start
    /// the points are also the counters' baseline (the state tracker uses it on a single node only).
    /// </summary>
    private void RestoreTwin(TimeSeriesStore store, bool baseline = false) =>
        latest.Restore(store.LatestAll().Select(p => (p.Series.TenantId, p.Series.MachineId, new Reading(p.Series.Tag, p.Timestamp, ValueOf(p.Kind, p.Number, p.Text)))), baseline);

    /// <summary>Cluster mode: another node appends; this one stops writing, checkpointing and trimming.</summary>
    public void Follow()
    {
        _follower = true;

        // A cluster node's store view may be older than what a machine's owner counted: its counters take no baseline.
        latest.DropBaselines();
    }

    /// <summary>
    /// Cluster mode: this node becomes the appender. The store is opened again, replaying what the previous
    /// appender committed, so its heads, log numbering and duplicate checks are the database's truth; every write
    /// of the new store is conditional on <paramref name="fence"/> (the appender's lease and token).
    /// </summary>
    public async Task LeadAsync(IWriteFence fence, CancellationToken cancellationToken)
    {
        _follower = true;
        _fence = fence;
        await ReopenAsync(null, cancellationToken);
        _follower = false;
    }

    /// <summary>
    /// After a failed write: if the store lost its connection (the database restarted) or cannot tell whether a
    /// commit happened, opens it again (replaying what is committed, under the same fence) so that ingest goes on
    /// once the database is back. Returns whether it reopened; throws while the database is still out of reach.
    /// </summary>
    public async Task<bool> RecoverAsync(CancellationToken cancellationToken)
    {
        if (_store is not { Broken: true } broken || !Appends || clock.GetUtcNow() < _nextRecovery)
        {
            return false;
        }

        _nextRecovery = clock.GetUtcNow() + RecoveryInterval;
        return await ReopenAsync(broken, cancellationToken);
    }

    /// <summary>Opens the store again, unless <paramref name="only"/> is given and was replaced meanwhile (a takeover reopened it first).</summary>
    private async Task<bool> ReopenAsync(TimeSeriesStore? only, CancellationToken cancellationToken)
    {
        await _reopening.WaitAsync(cancellationToken);
        try
        {
            if (only is not null && (_store != only || !Appends))
            {
                return false;
            }

            var fresh = await TimeSeriesStore.OpenAsync(database, StoreOptions(options), clock, _fence, cancellationToken);
            var old = Interlocked.Exchange(ref _store, fresh);
            RestoreTwin(fresh);
            if (old is not null)
            {
                await old.DisposeAsync();
            }

            return true;
        }
        finally
        {
            _reopening.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_store is not { Broken: false } || !Appends)
        {
            return;
        }

        try
        {
            await _store.CheckpointAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time ran out (a loaded machine): the points stay in the log, and the next start
            // replays them, so stopping is not held up and nothing is lost.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public static TagValue ValueOf(SeriesKind kind, double number, string? text) => kind switch
    {
        SeriesKind.Boolean => TagValue.Of(number != 0),
        SeriesKind.Text => TagValue.Of(text ?? ""),
        _ => TagValue.Of(number),
    };

    public static TimeSeriesOptions StoreOptions(TelemetryOptions options) => new()
    {
        LateWindow = options.LateWindow,
        FutureTolerance = options.FutureTolerance,
    };
}
