using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The durable, compressed telemetry store (docs/timeseries.md). Appends group-commit a batch into ts_log and
/// keep its points in per-series in-memory heads; checkpoints move heads into hourly chunks and rollups.
/// One appender at a time: AppendAsync, CheckpointAsync and EnforceRetentionAsync queue on one writer lock.
/// Queries run concurrently with all of them.
/// </summary>
public sealed partial class TimeSeriesStore : IAsyncDisposable
{
    private static readonly Meter Meter = new("Millwright.Storage.TimeSeries");
    private static readonly Counter<long> AppendedPoints = Meter.CreateCounter<long>("millwright.timeseries.points.appended");
    private static readonly Counter<long> DuplicatePoints = Meter.CreateCounter<long>("millwright.timeseries.points.duplicate");
    private static readonly Counter<long> RejectedPoints = Meter.CreateCounter<long>("millwright.timeseries.points.rejected");
    private static readonly Counter<long> CheckpointFailures = Meter.CreateCounter<long>("millwright.timeseries.checkpoint.failed", description: "Checkpoint slices run by an append that failed (the append itself stands)");
    private static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>("millwright.timeseries.checkpoint.duration", "ms");

    // Where an append's wait goes (docs/benchmarks.md, the live tail): the writer lock's waits and holds by the work
    // that took it, SQLite's write turn (other components' transactions), and the WAL copy beside the appender.
    private static readonly Histogram<double> WriterWait = Meter.CreateHistogram<double>("millwright.timeseries.writer.wait", "ms", "Time waiting for the store's writer lock, by the work that waited");
    private static readonly Histogram<double> WriterHeld = Meter.CreateHistogram<double>("millwright.timeseries.writer.held", "ms", "Time the store's writer lock was held, by the work that held it");
    private static readonly Histogram<double> TurnWait = Meter.CreateHistogram<double>("millwright.timeseries.turn.wait", "ms", "Time a store transaction waited for its turn at SQLite's write lock");
    private static readonly Histogram<double> WalCopyDuration = Meter.CreateHistogram<double>("millwright.timeseries.wal.copy", "ms", "Time to copy SQLite's WAL into the database file");

    private readonly IDatabase _database;
    private readonly TimeSeriesOptions _options;
    private readonly TimeProvider _clock;
    private readonly DbConnection _connection;
    private readonly IWriteFence? _fence;
    private readonly SemaphoreSlim _writer = new(1, 1);

    // Guards every SeriesState's head and marks, the series maps and _headPoints against concurrent queries.
    private readonly Lock _heads = new();
    private readonly Dictionary<SeriesKey, SeriesState> _series = [];
    private readonly Dictionary<long, SeriesState> _byId = [];
    private readonly Dictionary<(long Tenant, long Machine), List<SeriesState>> _byMachine = [];
    // Series with a head, oldest head first. Log ids only grow and a series joins when its head gets its first
    // point, so the list stays in HeadFirstLog order without sorting: at a million series a checkpoint slice
    // must not sort them all to find the oldest few thousand.
    private readonly LinkedList<SeriesState> _dirty = new();

    // Series whose last chunked hour still has several chunks (or an unknown count), by that hour: the closed
    // hours a checkpoint compacts are found here, not by a walk over every series.
    private readonly SortedDictionary<long, HashSet<SeriesState>> _unfinishedHours = [];
    private long _headPoints;

    // The newest ts_log id. The appender numbers log rows itself (one writer per store), so ids only grow, even
    // where SQLite would reuse the ids of an emptied table and fool the replay's LogThrough test.
    private long _lastLog;

    // Even while no checkpoint is committing; a query that saw it change reads again (a sequence lock), so it
    // never counts a point both in a head and in the chunk it just moved to.
    private long _epoch;
    private bool _disposed;

    // Set when a commit failed without telling whether it happened (a connection lost at COMMIT): memory may
    // then disagree with the database, so writes stop until the store is reopened, which replays the truth.
    private bool _faulted;

    // Set when the fence refused a write: this store lost its right to write for good (another appender may be
    // writing now), so it never tries again; whoever regains the right opens a new store, which replays the truth.
    private volatile bool _fencedOut;

    private TimeSeriesStore(IDatabase database, TimeSeriesOptions options, TimeProvider clock, DbConnection connection, IWriteFence? fence)
    {
        _database = database;
        _options = options;
        _clock = clock;
        _connection = connection;
        _fence = fence;
    }

    /// <summary>Whether the store's <see cref="IWriteFence"/> refused a write: it will not write again (reopen instead).</summary>
    public bool FencedOut => _fencedOut;

    /// <summary>
    /// Whether this store cannot write any more until it is reopened: its connection was lost (the database
    /// restarted, the network failed) or a commit ended without telling whether it happened.
    /// </summary>
    public bool Broken => _faulted || _connection.State != System.Data.ConnectionState.Open;

    /// <summary>Points acknowledged but not yet checkpointed (they live in ts_log and in memory).</summary>
    public long PendingPoints
    {
        get
        {
            lock (_heads)
            {
                return _headPoints;
            }
        }
    }

    /// <summary>The ingest log holds more than <see cref="TimeSeriesOptions.CheckpointPoints"/>: <see cref="CheckpointIfDueAsync"/> would move a slice.</summary>
    public bool CheckpointDue => PendingPoints > _options.CheckpointPoints;

    /// <summary>The most points one checkpoint slice moves (<see cref="TimeSeriesOptions.CheckpointSlicePoints"/>).</summary>
    public int CheckpointSliceBound => _options.CheckpointSlicePoints;

    /// <summary>
    /// The ingest log holds more than twice <see cref="TimeSeriesOptions.CheckpointPoints"/>: a caller that put off
    /// <see cref="CheckpointIfDueAsync"/> for others' sake must not put it off any longer.
    /// </summary>
    public bool CheckpointOverdue => PendingPoints > 2 * _options.CheckpointPoints;

    /// <summary>
    /// Opens the store on a migrated database: loads the series, the end of each series' chunks, and replays the
    /// ingest log into memory, so that every acknowledged point is there again after a crash.
    /// </summary>
    public static Task<TimeSeriesStore> OpenAsync(IDatabase database, TimeSeriesOptions options, TimeProvider clock, CancellationToken cancellationToken = default) =>
        OpenAsync(database, options, clock, null, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync(IDatabase, TimeSeriesOptions, TimeProvider, CancellationToken)"/>, with every write
    /// transaction (append, checkpoint slice, retention) conditional on <paramref name="fence"/>: it runs first in
    /// the transaction, and once it refuses, the store writes nothing more.
    /// </summary>
    public static async Task<TimeSeriesStore> OpenAsync(IDatabase database, TimeSeriesOptions options, TimeProvider clock, IWriteFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        var connection = await database.OpenAsync(cancellationToken);
        var store = new TimeSeriesStore(database, options, clock, connection, fence);
        try
        {
            if (database.Provider == "sqlite")
            {
                // SQLite would otherwise copy its WAL into the database file inside whichever commit crosses 1,000
                // pages, holding that acknowledgement up for as long as the copy and its fsync take under load;
                // CopyWalAsync does it beside the appender instead.
                await using var pragma = ChunkReader.Command(connection, null, "PRAGMA wal_autocheckpoint=0");
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            await store.LoadAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return store;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await _connection.QueryAsync<(long SeriesId, long TenantId, long MachineId, string Tag, long Kind, double WrapModulus, long LogThrough)>(
            new CommandDefinition("SELECT series_id, tenant_id, machine_id, tag, kind, wrap_modulus, log_through FROM ts_series", cancellationToken: cancellationToken));
        foreach (var row in rows)
        {
            Register(new SeriesState(row.SeriesId, new SeriesKey(row.TenantId, row.MachineId, row.Tag), (SeriesKind)row.Kind, row.WrapModulus) { LogThrough = row.LogThrough });
            _lastLog = Math.Max(_lastLog, row.LogThrough);
        }

        foreach (var series in _byId.Values)
        {
            if (await ChunkReader.LastBeforeAsync(_connection, null, series, long.MaxValue, cancellationToken) is { } last)
            {
                SetMarks(series, new ChunkMarks(last.Timestamp, last.Number, -1));
                series.Latest = new LatestPoint(series.Key, series.Kind, last.Timestamp, last.Number, last.Text);
            }
        }

        var points = new List<LogPoint>();
        await using var command = ChunkReader.Command(_connection, null, "SELECT id, body FROM ts_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var log = reader.GetInt64(0);
            _lastLog = Math.Max(_lastLog, log);
            points.Clear();
            try
            {
                IngestLogCodec.Decode((byte[])reader[1], points);
            }
            catch (IngestLogFormatException e)
            {
                throw new InvalidDataException($"ts_log row {reader.GetInt64(0)} is corrupt ({e.Message}); the store refuses to open rather than lose its points silently", e);
            }

            foreach (var point in points)
            {
                if (!_byId.TryGetValue(point.SeriesId, out var series) || (series.Kind == SeriesKind.Text) != (point.Text is not null))
                {
                    throw new InvalidDataException($"ts_log row {reader.GetInt64(0)} names series {point.SeriesId}, which does not exist or holds the other kind of value");
                }

                if (log > series.LogThrough)
                {
                    Apply(series, point.Timestamp, point.Number, point.Text, log);
                }
            }
        }
    }

    /// <summary>
    /// SQLite only: copies the WAL's committed pages into the database file on a connection of its own, without
    /// waiting for or blocking the appender (a passive checkpoint); the host calls it every second or so, so the
    /// WAL stays small. A no-op on PostgreSQL, which does this itself.
    /// </summary>
    public async Task CopyWalAsync(CancellationToken cancellationToken = default)
    {
        if (_database.Provider != "sqlite")
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = ChunkReader.Command(connection, null, "PRAGMA wal_checkpoint(PASSIVE)");
        await command.ExecuteNonQueryAsync(cancellationToken);
        WalCopyDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The newest point of every series, for the twin.</summary>
    public IReadOnlyList<LatestPoint> LatestAll()
    {
        lock (_heads)
        {
            return [.. _series.Values.Where(s => s.Latest is not null).Select(s => s.Latest!.Value)];
        }
    }

    /// <summary>The newest point of each series of one machine of one tenant.</summary>
    public IReadOnlyList<LatestPoint> Latest(long tenantId, long machineId)
    {
        lock (_heads)
        {
            return _byMachine.TryGetValue((tenantId, machineId), out var list)
                ? [.. list.Where(s => s.Latest is not null).Select(s => s.Latest!.Value)]
                : [];
        }
    }

    public IReadOnlyList<SeriesInfo> ListSeries(long tenantId, long machineId)
    {
        lock (_heads)
        {
            return _byMachine.TryGetValue((tenantId, machineId), out var list) ? [.. list.Select(s => s.Info).OrderBy(s => s.Key.Tag, StringComparer.Ordinal)] : [];
        }
    }

    /// <summary>How many series a machine has: what its quota counts.</summary>
    public int SeriesCount(long tenantId, long machineId)
    {
        lock (_heads)
        {
            return _byMachine.TryGetValue((tenantId, machineId), out var list) ? list.Count : 0;
        }
    }

    /// <summary>The most series any one machine of the tenant has.</summary>
    public int MostSeriesOfOneMachine(long tenantId)
    {
        lock (_heads)
        {
            return _byMachine.Where(m => m.Key.Tenant == tenantId).Select(m => m.Value.Count).DefaultIfEmpty(0).Max();
        }
    }

    public SeriesInfo? FindSeries(SeriesKey key)
    {
        lock (_heads)
        {
            return _series.TryGetValue(key, out var series) ? series.Info : null;
        }
    }

    /// <summary>Releases the connection. Points not checkpointed stay in ts_log and come back at the next open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        using (await HoldWriterAsync("dispose", CancellationToken.None))
        {
            _disposed = true;
            await _connection.DisposeAsync();
        }
    }

    // Caller holds _heads, or is the loader before the store is shared.
    private void Register(SeriesState series)
    {
        _series.Add(series.Key, series);
        _byId.Add(series.Id, series);
        var machine = (series.Key.TenantId, series.Key.MachineId);
        if (!_byMachine.TryGetValue(machine, out var list))
        {
            _byMachine[machine] = list = [];
        }

        list.Add(series);
    }

    // Caller holds _heads, or is the loader before the store is shared.
    private bool Apply(SeriesState series, long timestamp, double number, string? text, long log)
    {
        if (!series.Head.TryInsert(timestamp, number, text))
        {
            return false;
        }

        _headPoints++;
        if (series.DirtyNode is null)
        {
            series.DirtyNode = _dirty.AddLast(series);
            series.HeadFirstLog = log;
        }
        if (series.Latest is not { } latest || timestamp > latest.Timestamp)
        {
            series.Latest = new LatestPoint(series.Key, series.Kind, timestamp, number, text);
        }

        return true;
    }

    // Caller holds _heads, or is the loader before the store is shared.
    private void SetMarks(SeriesState series, ChunkMarks marks)
    {
        series.Marks = marks;
        long? unfinished = marks.Any && marks.LastHourChunks is not (0 or 1) ? marks.LastHour : null;
        if (series.UnfinishedHour == unfinished)
        {
            return;
        }

        if (series.UnfinishedHour is { } before && _unfinishedHours.TryGetValue(before, out var was))
        {
            was.Remove(series);
            if (was.Count == 0)
            {
                _unfinishedHours.Remove(before);
            }
        }

        series.UnfinishedHour = unfinished;
        if (unfinished is { } hour)
        {
            if (!_unfinishedHours.TryGetValue(hour, out var bucket))
            {
                _unfinishedHours[hour] = bucket = [];
            }

            bucket.Add(series);
        }
    }

    // Caller holds _heads (or the writer lock, under which only the appender and a checkpoint change heads).
    private void MarkClean(SeriesState series)
    {
        if (series.DirtyNode is { } node)
        {
            _dirty.Remove(node);
            series.DirtyNode = null;
        }

        series.HeadFirstLog = long.MaxValue;
    }

    private SeriesState? Find(SeriesKey key)
    {
        lock (_heads)
        {
            return _series.GetValueOrDefault(key);
        }
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("a commit of the time-series store failed without telling whether it happened; reopen the store");
        }

        if (_fencedOut)
        {
            throw new WriteFencedException("this time-series store lost its right to write (its fence refused a write); reopen the store");
        }
    }

    // Never cancelled: a COMMIT abandoned half-way (a host stopping) leaves its outcome unknown and would fault
    // the store for its final checkpoint; a commit is short, so it is let finish.
    private async Task CommitOrFaultAsync(System.Data.Common.DbTransaction transaction)
    {
        try
        {
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }
}
