using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public abstract class TimeSeriesRollupTests : TimeSeriesStoreFixture
{
    private const long Minute = 60_000, Hour = 3_600_000;
    private static readonly long[] Widths = [Minute, Hour, 5 * Minute, 7_000, 2 * Hour, 90_000];

    [Theory]
    [InlineData(20261122)]
    [InlineData(7)]
    [InlineData(31337)]
    public async Task Random_late_and_out_of_order_points_give_the_same_aggregates_as_a_reference_computation(int seed)
    {
        var random = new Random(seed);
        var gauge = new SeriesKey(1, 1, "gauge");
        var counter = new SeriesKey(1, 1, "counter");
        var wrapping = new SeriesKey(1, 1, "wrapping");
        var reference = new Dictionary<SeriesKey, SortedDictionary<long, double>> { [gauge] = [], [counter] = [], [wrapping] = [] };
        var points = new List<IngestPoint>();
        foreach (var key in reference.Keys)
        {
            double value = 500;
            for (var i = 0; i < 1500; i++)
            {
                var time = T0 + (random.NextInt64(0, 5 * Hour / 250) * 250);
                value = key == gauge ? Math.Round(value + random.NextDouble() - 0.5, 2)
                    : random.Next(40) == 0 ? random.Next(50)
                    : (value + random.Next(30)) % 1000;
                points.Add(key == gauge ? Gauge(key, time, value) : Counter(key, time, value, key == wrapping ? 1000 : 0));
            }
        }

        // Mostly in time order with stragglers, so that both the in-order and the late paths run.
        points = [.. points.OrderBy(p => p.Timestamp + (random.Next(10) == 0 ? random.NextInt64(0, 2 * Hour) : 0))];
        Clock.NowMs = T0;
        var store = await OpenAsync();
        try
        {
            var position = 0;
            while (position < points.Count)
            {
                var batch = points.Skip(position).Take(1 + random.Next(400)).ToList();
                position += batch.Count;
                // The clock follows the data, so that hours stay open while points arrive and close later.
                Clock.NowMs = Math.Max(Clock.NowMs, batch.Max(p => p.Timestamp) + 1000);
                var result = await store.AppendAsync(batch);
                Assert.Empty(result.Rejected);
                foreach (var point in batch)
                {
                    reference[point.Series].TryAdd(point.Timestamp, point.Number);
                }

                switch (random.Next(10))
                {
                    case < 3:
                        await store.CheckpointAsync();
                        break;
                    case 3:
                        await store.DisposeAsync();
                        store = await OpenAsync();
                        break;
                }

                if (random.Next(4) == 0)
                {
                    await AssertMatchesAsync(store, reference, random);
                }
            }

            await AssertMatchesAsync(store, reference, random);
            await store.CheckpointAsync();
            await AssertMatchesAsync(store, reference, random);
            Clock.NowMs += 2 * Hour;
            await store.CheckpointAsync();
            await AssertMatchesAsync(store, reference, random);
            Assert.Equal(15, await CountAsync("SELECT COUNT(*) FROM ts_chunks"));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_counter_increase_counts_resets_from_zero_and_wraps_through_the_modulus()
    {
        var plain = new SeriesKey(1, 1, "parts");
        var wrapping = new SeriesKey(1, 1, "register");
        await using var store = await OpenAsync();
        await store.AppendAsync(
        [
            Counter(plain, T0, 10), Counter(plain, T0 + 10_000, 15), Counter(plain, T0 + 20_000, 3), Counter(plain, T0 + 70_000, 8), Counter(plain, T0 + 80_000, 8),
            Counter(wrapping, T0, 65_000, 65_536), Counter(wrapping, T0 + 10_000, 65_500, 65_536), Counter(wrapping, T0 + 20_000, 200, 65_536), Counter(wrapping, T0 + 70_000, 1000, 65_536),
        ]);

        // plain: +5, reset to 3 counts +3, then +5 and +0. wrapping: +500, +236 through 65,536, +800.
        await AssertIncreasesAsync(store, plain, Minute, [8, 5]);
        await AssertIncreasesAsync(store, wrapping, Minute, [736, 800]);
        await AssertIncreasesAsync(store, wrapping, 30_000, [736, 800]);
        await store.CheckpointAsync();
        await AssertIncreasesAsync(store, plain, Minute, [8, 5]);
        await AssertIncreasesAsync(store, plain, Hour, [13]);
        await AssertIncreasesAsync(store, wrapping, Hour, [1536]);

        // A late reading at 30 s (a reset to 1) changes its own minute and the next one's first rise.
        await store.AppendAsync([Counter(plain, T0 + 30_000, 1)]);
        await AssertIncreasesAsync(store, plain, Minute, [9, 7]);
        await store.CheckpointAsync();
        await AssertIncreasesAsync(store, plain, Minute, [9, 7]);
        await AssertIncreasesAsync(store, plain, Hour, [16]);
        var buckets = await store.AggregateAsync(plain, T0, T0 + Hour, Minute);
        Assert.Equal([(4L, 1.0, 15.0, 10.0, 1.0), (2L, 8.0, 8.0, 8.0, 8.0)], buckets.Select(b => (b.Count, b.Min, b.Max, b.First, b.Last)));
    }

    [Fact]
    public async Task A_late_point_before_the_range_does_not_become_the_predecessor_of_newer_points()
    {
        var key = new SeriesKey(1, 1, "parts");
        await using var store = await OpenAsync();
        await store.AppendAsync([Counter(key, T0, 1), Counter(key, T0 + 1_800_000, 10)]);
        await store.CheckpointAsync();

        // Not checkpointed: a late reading at 10 min and a new one in the next hour.
        await store.AppendAsync([Counter(key, T0 + 600_000, 5), Counter(key, T0 + Hour + 60_000, 12)]);

        var next = await store.AggregateAsync(key, T0 + Hour, T0 + (2 * Hour), Hour);
        Assert.Equal([2.0], next.Select(b => b.Increase ?? double.NaN));
        var both = await store.AggregateAsync(key, T0, T0 + (2 * Hour), Hour);
        Assert.Equal([9.0, 2.0], both.Select(b => b.Increase ?? double.NaN));
    }

    [Fact]
    public async Task A_chart_has_at_most_the_asked_points_and_keeps_each_buckets_min_and_max()
    {
        var key = new SeriesKey(1, 1, "speed");
        await using var store = await OpenAsync();
        var points = Enumerable.Range(0, 7200).Select(i => Gauge(key, T0 + (i * 1000L), i == 4321 ? 1e6 : i == 999 ? -1e6 : Math.Round(Math.Sin(i / 300.0) * 100, 1))).ToList();
        await store.AppendAsync(points[..3600]);
        await store.CheckpointAsync();
        await store.AppendAsync(points[3600..]);

        foreach (var (from, to, max) in new[] { (T0, T0 + (2 * Hour), 50), (T0, T0 + (2 * Hour), 7), (T0 + 5000, T0 + 9000, 100), (T0 + 1234, T0 + Hour + 17, 1), (T0 - Hour, T0 + (3 * Hour), 500) })
        {
            var chart = await store.ChartAsync(key, from, to, max);
            Assert.InRange(chart.Points.Count, 1, max);
            var width = chart.BucketMs;
            foreach (var column in chart.Points)
            {
                Assert.Equal(RollupMathFloor(column.Timestamp, width), column.Timestamp);
                var inBucket = points.Where(p => p.Timestamp >= column.Timestamp && p.Timestamp < column.Timestamp + width).Select(p => p.Number).ToList();
                Assert.Equal((inBucket.Min(), inBucket.Max()), (column.Min, column.Max));
            }

            if (from <= T0 + 4_321_000 && to > T0 + 4_321_000)
            {
                Assert.Contains(chart.Points, c => c.Max == 1e6);
            }
        }
    }

    [Fact]
    public async Task Retention_deletes_old_chunks_and_rollups_by_each_tenants_policy_and_keeps_the_rest()
    {
        var kept = new SeriesKey(1, 1, "temperature");
        var trimmed = new SeriesKey(2, 2, "temperature");
        await using var store = await OpenAsync();
        await store.SetRetentionAsync(2, new RetentionPolicy(TimeSpan.FromDays(3), TimeSpan.FromDays(4), null));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetRetentionAsync(2, new RetentionPolicy(TimeSpan.FromHours(1), null, null)));
        await store.AppendAsync([.. Enumerable.Range(0, 120).SelectMany(i => new[] { Gauge(kept, T0 + (i * 60_000L), i), Gauge(trimmed, T0 + (i * 60_000L), i) })]);
        await store.CheckpointAsync();
        var chunks = await CountAsync("SELECT COUNT(*) FROM ts_chunks");

        var early = await store.EnforceRetentionAsync(Clock.Now.AddDays(2));
        var late = await store.EnforceRetentionAsync(Clock.Now.AddDays(10));

        Assert.Equal(new RetentionResult(0, 0, 0), early);
        Assert.Equal(new RetentionResult(chunks / 2, 120, 0), late);
        Assert.Empty(await store.ReadAsync(trimmed, 0, long.MaxValue));
        Assert.Equal(120, (await store.ReadAsync(kept, 0, long.MaxValue)).Count);
        Assert.Equal(2, (await store.AggregateAsync(trimmed, T0, T0 + (2 * Hour), Hour)).Count);
        Assert.Equal(120, (await store.AggregateAsync(kept, T0, T0 + (2 * Hour), Minute)).Count);
    }

    private static long RollupMathFloor(long time, long width) => time - (((time % width) + width) % width);

    private static async Task AssertIncreasesAsync(TimeSeriesStore store, SeriesKey key, long width, double[] expected)
    {
        var buckets = await store.AggregateAsync(key, T0, T0 + Hour, width);
        Assert.Equal(expected, buckets.Select(b => b.Increase ?? double.NaN));
    }

    private static async Task AssertMatchesAsync(TimeSeriesStore store, Dictionary<SeriesKey, SortedDictionary<long, double>> reference, Random random)
    {
        foreach (var (key, points) in reference)
        {
            var stored = await store.ReadAsync(key, long.MinValue, long.MaxValue, int.MaxValue);
            Assert.Equal(points.Select(p => (p.Key, p.Value)), stored.Select(p => (p.Timestamp, p.Number)));
            var wrap = key.Tag == "wrapping" ? 1000 : 0;
            foreach (var width in Widths)
            {
                var from = T0 - Hour + random.NextInt64(0, 3 * Hour);
                var to = from + random.NextInt64(1, 4 * Hour);
                var expected = ReferenceBuckets(points, width, key.Tag != "gauge", wrap)
                    .Where(b => b.Start + width > from && b.Start < to).ToList();
                var actual = await store.AggregateAsync(key, from, to, width);
                Assert.Equal(expected.Select(b => (b.Start, b.Count, b.Min, b.Max, b.First, b.Last)), actual.Select(b => (b.Start, b.Count, b.Min, b.Max, b.First, b.Last)));
                foreach (var (e, a) in expected.Zip(actual))
                {
                    Assert.True(Math.Abs(e.Avg - a.Avg) < 1e-9 * Math.Max(1, Math.Abs(e.Avg)), $"avg {e.Avg} vs {a.Avg} at {e.Start}");
                    Assert.True(e.Increase is null == a.Increase is null && Math.Abs((e.Increase ?? 0) - (a.Increase ?? 0)) < 1e-6, $"increase {e.Increase} vs {a.Increase} at {e.Start} width {width}");
                }
            }
        }
    }

    /// <summary>The definition, computed the plain way over all points: a counter's rise belongs to the later point's bucket.</summary>
    private static List<AggregateBucket> ReferenceBuckets(SortedDictionary<long, double> points, long width, bool counter, double wrap)
    {
        var list = points.ToList();
        var result = new List<AggregateBucket>();
        foreach (var group in list.Select((p, i) => (p, i)).GroupBy(x => RollupMathFloor(x.p.Key, width)))
        {
            var values = group.Select(x => x.p.Value).ToList();
            double? increase = null;
            if (counter)
            {
                increase = 0;
                foreach (var (p, i) in group.Where(x => x.i > 0))
                {
                    var previous = list[i - 1].Value;
                    increase += p.Value >= previous ? p.Value - previous : wrap > 0 ? p.Value + wrap - previous : p.Value;
                }
            }

            result.Add(new AggregateBucket(group.Key, values.Count, values.Min(), values.Max(), values.Sum() / values.Count, values[0], values[^1], increase));
        }

        return result;
    }

    public sealed class OnSqlite : TimeSeriesRollupTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => Task.FromResult(StoreFixture.CreateSqlite());
    }

    public sealed class OnPostgres : TimeSeriesRollupTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => StoreFixture.CreatePostgresAsync();
    }
}
