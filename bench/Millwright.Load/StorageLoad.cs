using System.Diagnostics;
using System.Globalization;
using Millwright.Hosting;
using Millwright.Simulator.Models;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench storage</c>: what the virtual factory's telemetry costs on disk. The simulator's machine
/// models run on a stepped clock for the given hours of machine time, every tag reported each second as the JSON
/// machines do, and the points go through the time-series store exactly as the platform writes them (batches,
/// a checkpoint every simulated minute as the host's default interval). Then the size of the store is measured.
/// </summary>
internal static class StorageLoad
{
    public static async Task<string> RunAsync(string storeKind, string? postgres, int machines, double hours, Action<string> progress, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-storage-").FullName;
        var fresh = storeKind == "postgres" ? await FreshPostgres.CreateAsync(postgres!, ct) : null;
        try
        {
            await using var database = await new StoreOptions(directory, fresh?.ConnectionString).OpenAsync(ct);
            var clock = new SteppedClock(DateTimeOffset.UtcNow.AddHours(-hours - 1));
            var kinds = Enum.GetValues<MachineKind>();
            var fleet = Enumerable.Range(0, machines)
                .Select(i => MachineFactory.Create(kinds[i % kinds.Length], $"m{i:D4}", 1 + i, clock))
                .ToList();
            var before = await SizeAsync(database, directory, ct);
            long points = 0;
            var charts = "";
            var watch = Stopwatch.StartNew();
            await using (var store = await TimeSeriesStore.OpenAsync(database, new TimeSeriesOptions(), clock, ct))
            {
                var batch = new List<IngestPoint>(25_000);
                var seconds = (int)(hours * 3600);
                for (var second = 1; second <= seconds; second++)
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                    for (var m = 0; m < fleet.Count; m++)
                    {
                        fleet[m].Tick();
                        foreach (var (tag, value) in fleet[m].Snapshot())
                        {
                            var spec = fleet[m].Definition.Tag(tag);
                            batch.Add(Point(new SeriesKey(1, m + 1, tag), spec, now, value));
                        }
                    }

                    if (batch.Count >= 20_000)
                    {
                        points += (await store.AppendAsync(batch, ct)).Accepted;
                        batch.Clear();
                    }

                    if (second % 60 == 0)
                    {
                        await store.CheckpointAsync(ct);
                    }

                    if (second % 600 == 0)
                    {
                        progress(string.Create(CultureInfo.InvariantCulture, $"  {second / 3600.0:F2} h of machine time, {points:N0} points, {watch.Elapsed.TotalSeconds:F0} s"));
                    }
                }

                points += (await store.AppendAsync(batch, ct)).Accepted;
                await store.CheckpointAsync(ct);
                charts = await TimeChartsAsync(store, clock.GetUtcNow().ToUnixTimeMilliseconds(), hours, ct);
            }

            var (live, file) = await SizeAsync(database, directory, ct);
            if (database.Provider == "postgres")
            {
                progress(await BreakdownAsync(database, points, ct));
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"storage {storeKind}: {machines} machines × {hours:0.##} h at 1 Hz = {points:N0} points; {(double)(live - before.Live) / points:F2} B/point in live pages "
                + $"({(live - before.Live) / 1024.0:N0} KiB incl. chunks, rollups, indexes), {(double)(file - before.File) / points:F2} B/point by file size; written in {watch.Elapsed.TotalSeconds:F0} s; {charts}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            if (fresh is not null)
            {
                await fresh.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The dashboard's query: the whole run of one machine's spindle speed (a CNC's, 1 Hz) as a 1,000-point
    /// chart, asked 50 times after two warm-ups; p50 and p99 of the store's answer time.
    /// </summary>
    private static async Task<string> TimeChartsAsync(TimeSeriesStore store, long now, double hours, CancellationToken ct)
    {
        var series = new SeriesKey(1, 1, "spindle_speed");
        var from = now - (long)(hours * 3_600_000);
        var times = new List<double>();
        for (var run = 0; run < 52; run++)
        {
            var started = Stopwatch.GetTimestamp();
            var chart = await store.ChartAsync(series, from, now + 1, 1000, ct);
            if (run >= 2)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (chart.Points.Count is 0 or > 1000)
            {
                throw new InvalidOperationException($"a chart of {chart.Points.Count} points");
            }
        }

        times.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{hours:0.##} h of a 1 Hz series as a 1,000-point chart: p50 {times[times.Count / 2]:F2} ms, p99 {times[^1]:F2} ms");
    }

    private static IngestPoint Point(SeriesKey series, TagSpec spec, long now, object value) => value switch
    {
        string text => new IngestPoint(series, SeriesKind.Text, now, double.NaN, text),
        bool flag => new IngestPoint(series, SeriesKind.Boolean, now, flag ? 1 : 0),
        _ => new IngestPoint(series, spec.IsCounter ? SeriesKind.Counter : SeriesKind.Gauge, now, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>
    /// SQLite: pages in use (free pages left by the trimmed ingest log are reused, not data) and the file with
    /// its WAL; PostgreSQL: the time-series relations with their indexes and TOAST, and the whole database.
    /// </summary>
    internal static async Task<(long Live, long File)> SizeAsync(IDatabase database, string directory, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        if (database.Provider == "sqlite")
        {
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync(ct);
            command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())";
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var live = reader.GetInt64(0) * reader.GetInt64(1);
            return (live, Directory.GetFiles(directory, StoreOptions.SqliteFileName + "*").Sum(f => new FileInfo(f).Length));
        }

        command.CommandText = """
            SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0), pg_database_size(current_database())
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'ts\_%'
            """;
        await using var pg = await command.ExecuteReaderAsync(ct);
        await pg.ReadAsync(ct);
        return (pg.GetInt64(0), pg.GetInt64(1));
    }

    /// <summary>
    /// Bytes per point of each time-series relation (with indexes and TOAST): as they stand, with the dead row
    /// versions that rollup updates and chunk rewrites leave until vacuumed space is reused, and live after VACUUM FULL.
    /// </summary>
    private static async Task<string> BreakdownAsync(IDatabase database, long points, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var standing = await RelationsAsync(command, points, ct);
        command.CommandText = "VACUUM FULL";
        await command.ExecuteNonQueryAsync(ct);
        return $"  B/point by relation as written: {standing}\n  B/point by relation live (after VACUUM FULL): {await RelationsAsync(command, points, ct)}";
    }

    private static async Task<string> RelationsAsync(System.Data.Common.DbCommand command, long points, CancellationToken ct)
    {
        command.CommandText = """
            SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'ts\_%' ORDER BY 2 DESC
            """;
        var parts = new List<string>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            total += reader.GetInt64(1);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {(double)reader.GetInt64(1) / points:F2}"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(double)total / points:F2} ({string.Join(", ", parts)})");
    }

    /// <summary>Machine time that moves only when told: an hour of the factory in seconds of CPU.</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
