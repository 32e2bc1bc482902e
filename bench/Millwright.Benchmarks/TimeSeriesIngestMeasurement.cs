using System.Diagnostics;
using System.Globalization;
using Dapper;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;
using Npgsql;

namespace Millwright.Benchmarks;

/// <summary>
/// Durable append throughput and bytes per point of the time-series store, on a SQLite file or a fresh
/// PostgreSQL database. Simulated machines report ten tags at 1 Hz (five gauges rounded to 0-3 decimals, two
/// counters, two booleans, one text state); the clock follows the data. Only AppendAsync and CheckpointAsync
/// are timed, not the data generation.
/// <code>
/// dotnet run -c Release --project bench/Millwright.Benchmarks -- tsstore sqlite [series] [seconds] [batch] [checkpointEvery]
/// dotnet run -c Release --project bench/Millwright.Benchmarks -- tsstore "Host=...;Username=postgres;Database=postgres" ...
/// </code>
/// </summary>
internal static class TimeSeriesIngestMeasurement
{
    private const long Start = 1_763_769_600_000; // 2026-11-22T00:00Z

    public static async Task<int> RunAsync(string[] args)
    {
        var target = args.Length > 0 ? args[0] : "sqlite";
        var series = Arg(args, 1, 10_000);
        var seconds = Arg(args, 2, 300);
        var batchSize = Arg(args, 3, 10_000);
        var checkpointEvery = Arg(args, 4, 1_000_000);
        var machines = Math.Max(1, series / 10);
        var directory = Directory.CreateTempSubdirectory("mw-tsbench-").FullName;
        string? pgDatabase = null;
        IDatabase database;
        if (target == "sqlite")
        {
            database = new SqliteDatabase(Path.Combine(directory, "bench.db"));
        }
        else
        {
            pgDatabase = "mw_tsbench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(target, $"CREATE DATABASE {pgDatabase}");
            database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(target) { Database = pgDatabase }.ConnectionString);
        }

        try
        {
            await database.MigrateAsync();
            var clock = new BenchClock { NowMs = Start };
            var options = new TimeSeriesOptions { CheckpointPoints = checkpointEvery * 4 };
            await using var store = await TimeSeriesStore.OpenAsync(database, options, clock);
            var random = new Random(1);
            var state = new double[machines * 10];
            var batch = new List<IngestPoint>(batchSize + 10);
            long points = 0, appended = 0, duplicates = 0;
            TimeSpan appendTime = TimeSpan.Zero, checkpointTime = TimeSpan.Zero;
            var checkpoints = 0;
            for (var second = 0; second < seconds; second++)
            {
                clock.NowMs = Start + (second * 1000L) + 1000;
                for (var machine = 0; machine < machines; machine++)
                {
                    AddMachine(batch, state, machine, Start + (second * 1000L) + random.Next(20), random);
                    if (batch.Count >= batchSize || (machine == machines - 1 && second == seconds - 1))
                    {
                        var started = Stopwatch.GetTimestamp();
                        var result = await store.AppendAsync(batch);
                        appendTime += Stopwatch.GetElapsedTime(started);
                        points += batch.Count;
                        appended += result.Accepted;
                        duplicates += result.Duplicates;
                        batch.Clear();
                        if (store.PendingPoints >= checkpointEvery)
                        {
                            started = Stopwatch.GetTimestamp();
                            await store.CheckpointAsync();
                            checkpointTime += Stopwatch.GetElapsedTime(started);
                            checkpoints++;
                        }
                    }
                }
            }

            var finalStart = Stopwatch.GetTimestamp();
            clock.NowMs += 3_600_000; // closes the last hour, so that the final checkpoint compacts it
            await store.CheckpointAsync();
            var finalCheckpoint = Stopwatch.GetElapsedTime(finalStart);
            var total = appendTime + checkpointTime;
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformationText()}; store: {database.Describe()}");
            Console.WriteLine($"series {series}, {seconds} s of 1 Hz data, batches of {batchSize}, checkpoint every {checkpointEvery} points");
            Console.WriteLine($"points {points:N0} (accepted {appended:N0}, duplicates {duplicates:N0})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"append only: {points / appendTime.TotalSeconds:N0} points/s ({appendTime.TotalSeconds:F2} s); with {checkpoints} checkpoints: {points / total.TotalSeconds:N0} points/s sustained ({checkpointTime.TotalSeconds:F2} s in checkpoints); final checkpoint + compaction {finalCheckpoint.TotalSeconds:F2} s"));
            await ReportSizeAsync(database, points);
            return 0;
        }
        finally
        {
            await database.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            if (pgDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(target, $"DROP DATABASE {pgDatabase}");
            }
        }
    }

    /// <summary>Ten tags of one machine at one instant, values drifting like real sensors.</summary>
    private static void AddMachine(List<IngestPoint> batch, double[] state, int machine, long time, Random random)
    {
        var s = state.AsSpan(machine * 10, 10);
        if (s[0] == 0)
        {
            s[0] = 60 + random.Next(20);
            s[1] = 4 + random.NextDouble();
            s[2] = 1450;
            s[3] = 12 + random.NextDouble();
            s[4] = 0.5;
            s[5] = random.Next(1000);
            s[6] = random.Next(100_000);
            s[7] = 1;
        }

        s[0] = Math.Round(s[0] + ((random.NextDouble() - 0.5) * 0.2), 1);
        s[1] = Math.Round(Math.Clamp(s[1] + ((random.NextDouble() - 0.5) * 0.02), 0, 10), 2);
        s[2] = Math.Round(1450 + ((random.NextDouble() - 0.5) * 4));
        s[3] = Math.Round(Math.Max(0, s[3] + ((random.NextDouble() - 0.5) * 0.05)), 3);
        s[4] = Math.Round(0.5 + (random.NextDouble() * 0.1), 2);
        s[5] += random.Next(8) == 0 ? 1 : 0;
        s[6] = Math.Round(s[6] + (s[3] / 3600), 3);
        s[7] = random.Next(900) == 0 ? 1 - s[7] : s[7];
        s[8] = random.Next(50) == 0 ? 1 : 0;
        var tenant = 1 + (machine % 4);
        var id = machine + 1L;
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "temperature"), SeriesKind.Gauge, time, s[0]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "pressure"), SeriesKind.Gauge, time, s[1]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "spindle_speed"), SeriesKind.Gauge, time, s[2]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "power_kw"), SeriesKind.Gauge, time, s[3]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "vibration"), SeriesKind.Gauge, time, s[4]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "parts"), SeriesKind.Counter, time, s[5]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "energy_kwh"), SeriesKind.Counter, time, s[6]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "running"), SeriesKind.Boolean, time, s[7]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "alarm"), SeriesKind.Boolean, time, s[8]));
        batch.Add(new IngestPoint(new SeriesKey(tenant, id, "state"), SeriesKind.Text, time, 0, s[7] == 1 ? "RUNNING" : "IDLE"));
    }

    private static async Task ReportSizeAsync(IDatabase database, long points)
    {
        await using var connection = await database.OpenAsync();
        string[] tables = ["ts_series", "ts_log", "ts_chunks", "ts_rollup_1m", "ts_rollup_1h"];
        if (database is SqliteDatabase sqlite)
        {
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            var file = new FileInfo(sqlite.Path).Length + (File.Exists(sqlite.Path + "-wal") ? new FileInfo(sqlite.Path + "-wal").Length : 0);
            var pageSize = await connection.ExecuteScalarAsync<long>("PRAGMA page_size");
            var free = await connection.ExecuteScalarAsync<long>("PRAGMA freelist_count") * pageSize;
            Console.WriteLine($"sqlite file incl. WAL: {file:N0} bytes = {(double)file / points:F2} bytes/point; of which free pages (the emptied log, reused by later appends) {free:N0}; in use {(double)(file - free) / points:F2} bytes/point");
            // Debian's e_sqlite3 bundle has no dbstat table; row counts say where the pages went.
            foreach (var table in tables)
            {
                Console.WriteLine($"  {table}: {await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"):N0} rows");
            }
        }
        else
        {
            long sum = 0;
            foreach (var table in tables)
            {
                var bytes = await connection.ExecuteScalarAsync<long>($"SELECT pg_total_relation_size('{table}')");
                sum += bytes;
                Console.WriteLine($"  {table}: {bytes:N0} bytes ({(double)bytes / points:F2} bytes/point)");
            }

            Console.WriteLine($"postgres pg_total_relation_size of the ts_ tables: {sum:N0} bytes = {(double)sum / points:F2} bytes/point");

            // Dead tuples (the emptied log, rewritten chunks, updated rollup rows) wait for autovacuum to be
            // reused; VACUUM FULL shows the live size, the floor the tables return to.
            long live = 0;
            foreach (var table in tables)
            {
                await connection.ExecuteAsync($"VACUUM FULL {table}");
                live += await connection.ExecuteScalarAsync<long>($"SELECT pg_total_relation_size('{table}')");
            }

            Console.WriteLine($"after VACUUM FULL: {live:N0} bytes = {(double)live / points:F2} bytes/point");
        }

        var chunks = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ts_chunks");
        var blob = await connection.ExecuteScalarAsync<long>("SELECT SUM(LENGTH(body)) FROM ts_chunks");
        Console.WriteLine($"chunks {chunks:N0}, chunk bodies {blob:N0} bytes = {(double)blob / points:F2} bytes/point");
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static int Arg(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    private sealed class BenchClock : TimeProvider
    {
        public long NowMs { get; set; }

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
    }
}
