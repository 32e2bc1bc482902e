using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public abstract class TimeSeriesStoreTests : TimeSeriesStoreFixture
{
    private static readonly SeriesKey Temperature = new(1, 10, "temperature");
    private static readonly SeriesKey Parts = new(1, 10, "parts");
    private static readonly SeriesKey Running = new(1, 10, "running");
    private static readonly SeriesKey State = new(1, 10, "state");

    private static List<IngestPoint> MixedBatch() =>
    [
        Gauge(Temperature, T0 + 2000, 21.5),
        Gauge(Temperature, T0, 20.25),
        Counter(Parts, T0, 7),
        new(Running, SeriesKind.Boolean, T0, 1),
        Text(State, T0, "setup"),
        Gauge(Temperature, T0 + 1000, 21),
        Text(State, T0 + 5000, "running ✓"),
        Counter(Parts, T0 + 1000, 9),
    ];

    [Fact]
    public async Task Appended_points_of_every_kind_read_back_in_time_order()
    {
        await using var store = await OpenAsync();

        var result = await store.AppendAsync(MixedBatch());

        Assert.Equal(new AppendResult(8, 0, []).Accepted, result.Accepted);
        Assert.Empty(result.Rejected);
        await AssertMixedBatchAsync(store);
    }

    [Fact]
    public async Task Acknowledged_points_come_back_after_a_reopen_without_a_checkpoint()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(MixedBatch());
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM ts_log"));
        await using var reopened = await OpenAsync();
        await AssertMixedBatchAsync(reopened);
        Assert.Equal(8, reopened.PendingPoints);
    }

    [Fact]
    public async Task A_checkpoint_moves_points_into_chunks_and_empties_the_log_and_they_survive_a_reopen()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(MixedBatch());
            await store.CheckpointAsync();
            Assert.Equal(0, store.PendingPoints);
            await AssertMixedBatchAsync(store);
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM ts_log"));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        await using var reopened = await OpenAsync();
        await AssertMixedBatchAsync(reopened);
    }

    [Fact]
    public async Task Duplicates_in_a_batch_in_memory_and_in_chunks_are_stored_once_with_the_first_value()
    {
        await using (var store = await OpenAsync())
        {
            var first = await store.AppendAsync([Gauge(Temperature, T0, 1), Gauge(Temperature, T0, 2), Gauge(Temperature, T0 + 1000, 3)]);
            var again = await store.AppendAsync([Gauge(Temperature, T0 + 1000, 4), Gauge(Temperature, T0 + 2000, 5)]);
            await store.CheckpointAsync();
            var late = await store.AppendAsync([Gauge(Temperature, T0, 6), Gauge(Temperature, T0 + 500, 7)]);

            Assert.Equal((2, 1), (first.Accepted, first.Duplicates));
            Assert.Equal((1, 1), (again.Accepted, again.Duplicates));
            Assert.Equal((1, 1), (late.Accepted, late.Duplicates));
        }

        await using var reopened = await OpenAsync();
        var duplicate = await reopened.AppendAsync([Gauge(Temperature, T0 + 500, 8), Gauge(Temperature, T0 + 2000, 9)]);
        Assert.Equal((0, 2), (duplicate.Accepted, duplicate.Duplicates));
        await reopened.CheckpointAsync();
        var points = await reopened.ReadAsync(Temperature, T0, T0 + 10_000);
        Assert.Equal([(T0, 1.0), (T0 + 500, 7.0), (T0 + 1000, 3.0), (T0 + 2000, 5.0)], points.Select(p => (p.Timestamp, p.Number)));
    }

    [Fact]
    public async Task Points_outside_the_late_window_ahead_of_the_clock_or_malformed_are_rejected_with_reasons()
    {
        await using var store = await OpenAsync();
        var now = Clock.NowMs;

        var result = await store.AppendAsync(
        [
            Gauge(Temperature, now - (long)TimeSpan.FromDays(2).TotalMilliseconds, 1),
            Gauge(Temperature, now + (long)TimeSpan.FromHours(1).TotalMilliseconds, 1),
            Gauge(Temperature, now, double.NaN),
            Gauge(Temperature, now, 20),
            Counter(Temperature, now + 1, 5),
            new(Running, SeriesKind.Boolean, now, 0.5),
            Counter(Parts, now, -1),
            Counter(Parts, now, 70_000, wrap: 65_536),
            Gauge(new SeriesKey(1, 10, ""), now, 1),
            new(State, SeriesKind.Text, now, 0, null),
            Text(State, now, new string('x', 5000)),
            Text(State, now, "\ud800"),
        ]);

        Assert.Equal(1, result.Accepted);
        Assert.Equal([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11], result.Rejected.Select(r => r.Index));
        Assert.Contains("late window", result.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("ahead of the clock", result.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("Gauge", result.Rejected[3].Reason, StringComparison.Ordinal);
        Assert.Single(await store.ReadAsync(Temperature, 0, long.MaxValue));
        Assert.Null(store.FindSeries(Parts));
    }

    [Fact]
    public async Task A_tenant_cannot_read_another_tenants_series()
    {
        await using var store = await OpenAsync();
        var ofA = new SeriesKey(1, 10, "temperature");
        var sameMachineAsB = new SeriesKey(2, 10, "temperature");
        await store.AppendAsync([Gauge(ofA, T0, 1), Gauge(ofA, T0 + 60_000, 2)]);
        await store.CheckpointAsync();

        Assert.Empty(await store.ReadAsync(sameMachineAsB, 0, long.MaxValue));
        Assert.Empty(await store.AggregateAsync(sameMachineAsB, T0, T0 + 3_600_000, 60_000));
        Assert.Empty((await store.ChartAsync(sameMachineAsB, T0, T0 + 3_600_000, 100)).Points);
        Assert.Empty(store.Latest(2, 10));
        Assert.Empty(store.ListSeries(2, 10));
        Assert.Null(store.FindSeries(sameMachineAsB));
        Assert.Equal(2, (await store.ReadAsync(ofA, 0, long.MaxValue)).Count);
    }

    [Fact]
    public async Task Latest_points_are_rebuilt_at_open_from_chunks_and_the_log()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(MixedBatch());
            await store.CheckpointAsync();
            await store.AppendAsync([Gauge(Temperature, T0 + 3000, 22)]);
        }

        await using var reopened = await OpenAsync();
        var latest = reopened.Latest(1, 10).ToDictionary(p => p.Series.Tag);
        Assert.Equal((T0 + 3000, 22.0), (latest["temperature"].Timestamp, latest["temperature"].Number));
        Assert.Equal((T0 + 1000, 9.0), (latest["parts"].Timestamp, latest["parts"].Number));
        Assert.Equal("running ✓", latest["state"].Text);
        Assert.Equal(4, reopened.LatestAll().Count);
        Assert.Equal(["parts", "running", "state", "temperature"], reopened.ListSeries(1, 10).Select(s => s.Key.Tag));
    }

    [Fact]
    public async Task Chunks_of_a_closed_hour_are_compacted_into_one()
    {
        Clock.NowMs = T0 + 1_800_000;
        await using var store = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync([Gauge(Temperature, T0 + (i * 1000), i)]);
            await store.CheckpointAsync();
        }

        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        Clock.NowMs = T0 + 3_660_000;
        await store.AppendAsync([Gauge(Temperature, T0 + 3_600_000, 9)]);
        await store.CheckpointAsync();

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        Assert.Equal([0.0, 1, 2, 3, 4, 9], (await store.ReadAsync(Temperature, 0, long.MaxValue)).Select(p => p.Number));
    }

    [Fact]
    public async Task A_closed_hour_whose_chunk_count_a_reopen_forgot_is_still_compacted()
    {
        Clock.NowMs = T0 + 1_800_000;
        await using (var store = await OpenAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                await store.AppendAsync([Gauge(Temperature, T0 + (i * 1000), i)]);
                await store.CheckpointAsync();
            }
        }

        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        await using var reopened = await OpenAsync();
        await reopened.CheckpointAsync();
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));

        Clock.NowMs = T0 + 3_660_000;
        await reopened.CheckpointAsync();
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        Assert.Equal([0.0, 1, 2], (await reopened.ReadAsync(Temperature, 0, long.MaxValue)).Select(p => p.Number));
    }

    [Fact]
    public async Task A_checkpoint_runs_by_itself_once_enough_points_wait()
    {
        Options = new TimeSeriesOptions { CheckpointPoints = 10 };
        await using var store = await OpenAsync();

        await store.AppendAsync([.. Enumerable.Range(0, 11).Select(i => Gauge(Temperature, T0 + (i * 1000), i))]);

        Assert.Equal(0, store.PendingPoints);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM ts_log"));
        Assert.Equal(11, (await store.ReadAsync(Temperature, 0, long.MaxValue)).Count);
    }

    [Fact]
    public async Task A_short_checkpoint_slice_after_an_append_moves_only_that_many_points_into_chunks()
    {
        // 40 series of 6 points each pass the 200-point threshold at the sixth append.
        Options = new TimeSeriesOptions { CheckpointPoints = 200, CheckpointSlicePoints = 100_000 };
        var series = Enumerable.Range(1, 40).Select(m => new SeriesKey(1, m, "power")).ToList();
        await using var store = await OpenAsync();
        for (var batch = 0; batch < 5; batch++)
        {
            await store.AppendAsync([.. series.Select(key => Gauge(key, T0 + (batch * 1000L), batch))]);
        }

        Assert.Equal(200, store.PendingPoints);
        await store.AppendOnlyAsync([.. series.Select(key => Gauge(key, T0 + 5_000, 5))]);
        Assert.Equal(240, store.PendingPoints);
        await store.CheckpointIfDueAsync(slicePoints: 40);

        // Whole series heads of 6 points until the next would pass 40: six series, 36 points.
        Assert.Equal(240 - 36, store.PendingPoints);
        await store.AppendAsync([.. series.Select(key => Gauge(key, T0 + 6_000, 6))]);
        Assert.Equal(0, store.PendingPoints);
        foreach (var key in series)
        {
            Assert.Equal(7, (await store.ReadAsync(key, 0, long.MaxValue)).Count);
        }
    }

    [Fact]
    public async Task A_checkpoint_asked_for_short_slices_moves_everything_a_slice_at_a_time()
    {
        Options = new TimeSeriesOptions { CheckpointPoints = 100_000, CheckpointSlicePoints = 100_000 };
        var series = Enumerable.Range(1, 40).Select(m => new SeriesKey(1, m, "power")).ToList();
        await using var store = await OpenAsync();
        for (var batch = 0; batch < 6; batch++)
        {
            await store.AppendAsync([.. series.Select(key => Gauge(key, T0 + (batch * 1000L), batch))]);
        }

        var pendingAtEachSlice = new List<long>();
        await store.CheckpointAsync(() =>
        {
            pendingAtEachSlice.Add(store.PendingPoints);
            return 40;
        });

        // Six series of 6 points per slice (the seventh would pass 40): 240 points in seven slices.
        Assert.Equal([240, 204, 168, 132, 96, 60, 24], pendingAtEachSlice.Take(7));
        Assert.Equal(0, store.PendingPoints);
        foreach (var key in series)
        {
            Assert.Equal(6, (await store.ReadAsync(key, 0, long.MaxValue)).Count);
        }
    }

    [Fact]
    public async Task A_checkpoint_slice_moves_at_most_its_series_bound_however_few_points_they_hold()
    {
        // A fleet's shape: many series with a few points each. The point bound alone would move all 40 at once.
        Options = new TimeSeriesOptions { CheckpointPoints = 100_000, CheckpointSlicePoints = 100_000, CheckpointSliceSeries = 15 };
        var series = Enumerable.Range(1, 40).Select(m => new SeriesKey(1, m, "power")).ToList();
        await using var store = await OpenAsync();
        for (var batch = 0; batch < 2; batch++)
        {
            await store.AppendAsync([.. series.Select(key => Gauge(key, T0 + (batch * 1000L), batch))]);
        }

        var pendingAtEachSlice = new List<long>();
        await store.CheckpointAsync(() =>
        {
            pendingAtEachSlice.Add(store.PendingPoints);
            return null;
        });

        // 15 series of 2 points per slice: 80 points in three slices.
        Assert.Equal([80, 50, 20], pendingAtEachSlice.Take(3));
        Assert.Equal(0, store.PendingPoints);
        foreach (var key in series)
        {
            Assert.Equal(2, (await store.ReadAsync(key, 0, long.MaxValue)).Count);
        }
    }

    [Fact]
    public async Task A_checkpoint_slice_moves_the_oldest_head_first_and_the_log_keeps_every_row_the_others_need()
    {
        // One series a slice; the log is due at once. Machine 3's head began first, in log row 1.
        Options = new TimeSeriesOptions { CheckpointPoints = 1, CheckpointSliceSeries = 1 };
        SeriesKey Power(long machine) => new(1, machine, "power");
        await using (var store = await OpenAsync())
        {
            foreach (var (machine, at) in new[] { (3L, T0), (1L, T0), (2L, T0), (3L, T0 + 1000) })
            {
                await store.AppendOnlyAsync([Gauge(Power(machine), at, machine)]);
            }

            await store.CheckpointIfDueAsync();
            Assert.Equal(2, store.PendingPoints);
            Assert.Equal(1, await ChunksOfAsync(3));
            Assert.Equal(0, await ChunksOfAsync(1) + await ChunksOfAsync(2));
            // Row 1 held only machine 3's point; machine 1's head begins in row 2.
            Assert.Equal(2, await CountAsync("SELECT MIN(id) FROM ts_log"));

            await store.CheckpointIfDueAsync();
            Assert.Equal(1, await ChunksOfAsync(1));
            Assert.Equal(0, await ChunksOfAsync(2));
            Assert.Equal(3, await CountAsync("SELECT MIN(id) FROM ts_log"));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(1, reopened.PendingPoints);
        foreach (var machine in new[] { 1L, 2L, 3L })
        {
            Assert.Equal(machine == 3 ? 2 : 1, (await reopened.ReadAsync(Power(machine), 0, long.MaxValue)).Count);
        }

        Task<long> ChunksOfAsync(long machine) => CountAsync(
            $"SELECT COUNT(*) FROM ts_chunks c JOIN ts_series s ON s.series_id = c.series_id WHERE s.machine_id = {machine}");
    }

    [Fact]
    public async Task A_log_past_twice_its_bound_is_overdue_until_a_checkpoint()
    {
        Options = new TimeSeriesOptions { CheckpointPoints = 100 };
        var series = Enumerable.Range(1, 50).Select(m => new SeriesKey(1, m, "power")).ToList();
        await using var store = await OpenAsync();
        for (var batch = 0; batch < 4; batch++)
        {
            await store.AppendOnlyAsync([.. series.Select(key => Gauge(key, T0 + (batch * 1000L), batch))]);
        }

        Assert.Equal(200, store.PendingPoints);
        Assert.False(store.CheckpointOverdue);
        await store.AppendOnlyAsync([.. series.Select(key => Gauge(key, T0 + 4_000, 4))]);
        Assert.True(store.CheckpointOverdue);
        await store.CheckpointIfDueAsync();
        Assert.Equal(0, store.PendingPoints);
        Assert.False(store.CheckpointOverdue);
    }

    [Fact]
    public async Task Checkpoints_in_small_slices_lose_and_repeat_no_point_across_a_reopen()
    {
        // Slices of about 100 points over 40 series: the log keeps rows whose points are partly in chunks.
        Options = new TimeSeriesOptions { CheckpointPoints = 200, CheckpointSlicePoints = 100 };
        var series = Enumerable.Range(1, 40).Select(m => new SeriesKey(1, m, "power")).ToList();
        await using (var store = await OpenAsync())
        {
            for (var batch = 0; batch < 25; batch++)
            {
                await store.AppendAsync([.. series.Select(key => Gauge(key, T0 + (batch * 1000L), batch))]);
            }

            Assert.InRange(store.PendingPoints, 1, 300);
            Assert.InRange(await CountAsync("SELECT COUNT(*) FROM ts_chunks"), 1, long.MaxValue);
        }

        Assert.InRange(await CountAsync("SELECT COUNT(*) FROM ts_log"), 1, 24);
        await using (var reopened = await OpenAsync())
        {
            foreach (var key in series)
            {
                Assert.Equal(Enumerable.Range(0, 25).Select(i => (double)i), (await reopened.ReadAsync(key, 0, long.MaxValue)).Select(p => p.Number));
            }

            await reopened.AppendAsync([.. series.Select(key => Gauge(key, T0 + 25_000, 25))]);
            await reopened.CheckpointAsync();
            Assert.Equal(0, reopened.PendingPoints);
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM ts_log"));
        await using var final = await OpenAsync();
        foreach (var key in series)
        {
            Assert.Equal(26, (await final.ReadAsync(key, 0, long.MaxValue)).Count);
            var minute = Assert.Single(await final.AggregateAsync(key, T0, T0 + 60_000, 60_000));
            Assert.Equal((26, 0.0, 25.0), (minute.Count, minute.Min, minute.Max));
        }
    }

    [Fact]
    public async Task A_corrupt_log_row_stops_the_open_with_a_clear_error_instead_of_losing_points()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(MixedBatch());
        }

        await using (var connection = await Database().OpenAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ts_log SET body = @b";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@b";
            parameter.Value = new byte[] { 1, 9, 2 };
            command.Parameters.Add(parameter);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(OpenAsync);
        Assert.Contains("ts_log row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_during_appends_and_checkpoints_never_miss_or_double_count_an_acknowledged_point()
    {
        await using var store = await OpenAsync();
        // A query may see a batch from inside AppendAsync on: between acknowledged and issued.
        long acknowledged = 0, issued = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                Interlocked.Add(ref issued, 50);
                await store.AppendAsync([.. Enumerable.Range(0, 50).Select(j => Gauge(Temperature, T0 + (((i * 50) + j) * 1000L), j))]);
                Interlocked.Add(ref acknowledged, 50);
                if (i % 3 == 2)
                {
                    await store.CheckpointAsync();
                }
            }
        });

        var queries = 0;
        while (!writer.IsCompleted || queries == 0)
        {
            var before = Interlocked.Read(ref acknowledged);
            var raw = (await store.ReadAsync(Temperature, T0, T0 + (4 * 3_600_000), int.MaxValue)).Count;
            var aggregated = (await store.AggregateAsync(Temperature, T0, T0 + (4 * 3_600_000), 3_600_000)).Sum(b => b.Count);
            var after = Interlocked.Read(ref issued);
            Assert.InRange(raw, before, after);
            Assert.InRange(aggregated, before, after);
            queries++;
        }

        await writer;
        Assert.Equal(3000, (await store.ReadAsync(Temperature, T0, T0 + (4 * 3_600_000), int.MaxValue)).Count);
    }

    private static async Task AssertMixedBatchAsync(TimeSeriesStore store)
    {
        var temperature = await store.ReadAsync(Temperature, T0, T0 + 60_000);
        Assert.Equal([(T0, 20.25), (T0 + 1000, 21.0), (T0 + 2000, 21.5)], temperature.Select(p => (p.Timestamp, p.Number)));
        Assert.Equal([7.0, 9], (await store.ReadAsync(Parts, T0, T0 + 60_000)).Select(p => p.Number));
        Assert.Equal([1.0], (await store.ReadAsync(Running, T0, T0 + 60_000)).Select(p => p.Number));
        Assert.Equal(["setup", "running ✓"], (await store.ReadAsync(State, T0, T0 + 60_000)).Select(p => p.Text));
        Assert.Equal([(T0 + 1000, 21.0)], (await store.ReadAsync(Temperature, T0 + 1, T0 + 60_000, limit: 1)).Select(p => (p.Timestamp, p.Number)));
        Assert.Equal(SeriesKind.Counter, store.FindSeries(Parts)?.Kind);
    }

    public sealed class OnSqlite : TimeSeriesStoreTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => Task.FromResult(StoreFixture.CreateSqlite());

        [Fact]
        public async Task The_WAL_is_copied_into_the_database_file_beside_the_appender_and_not_inside_its_commits()
        {
            var file = ((SqliteDatabase)Database()).Path;
            await using var store = await OpenAsync();
            var before = new FileInfo(file).Length;
            for (var batch = 0; batch < 600; batch++)
            {
                await store.AppendAsync([.. Enumerable.Range(0, 100).Select(i => Gauge(new SeriesKey(1, 1 + (i % 50), "power"), T0 + (((batch * 2) + (i / 50)) * 1000L), i))]);
            }

            await store.CheckpointAsync();
            // Well past SQLite's 1,000-page automatic checkpoint, yet the database file has not grown: only the WAL has.
            Assert.True(new FileInfo(file + "-wal").Length > 1000 * 4096, "the WAL stayed small");
            Assert.Equal(before, new FileInfo(file).Length);

            await store.CopyWalAsync();

            Assert.True(new FileInfo(file).Length > before, "the WAL was not copied");
            Assert.Equal(60_000, (await Task.WhenAll(Enumerable.Range(1, 50).Select(m => store.ReadAsync(new SeriesKey(1, m, "power"), 0, long.MaxValue)))).Sum(p => p.Count));
        }
    }

    public sealed class OnPostgres : TimeSeriesStoreTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => StoreFixture.CreatePostgresAsync();
    }
}
