using System.Data.Common;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    /// <summary>The most buckets one aggregate query returns.</summary>
    public const int MaxBuckets = 100_000;

    /// <summary>
    /// Raw points of a series in [from, to), oldest first, at most <paramref name="limit"/>. The key carries the
    /// tenant: a series of another tenant is simply not found (an empty list).
    /// </summary>
    public async Task<IReadOnlyList<TimePoint>> ReadAsync(SeriesKey series, long from, long to, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (Find(series) is not { } state || from >= to)
        {
            return [];
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        while (true)
        {
            var epoch = await StableEpochAsync(cancellationToken);
            PointBuffer head;
            lock (_heads)
            {
                head = state.Head.Slice(from, to);
            }

            var stored = await ChunkReader.ReadAsync(connection, null, state, from, to, limit, cancellationToken);
            if (Volatile.Read(ref _epoch) != epoch)
            {
                continue;
            }

            var merged = PointBuffer.Merge(stored, head);
            return [.. Enumerable.Range(0, Math.Min(limit, merged.Count)).Select(i => merged[i])];
        }
    }

    /// <summary>
    /// Count, min, max, avg, first, last and (counters) increase per aligned bucket of <paramref name="bucketMs"/>
    /// covering [from, to); buckets without points are left out. Whole-minute and whole-hour buckets read the
    /// rollups, others the raw points; points not checkpointed yet are included either way.
    /// </summary>
    public async Task<IReadOnlyList<AggregateBucket>> AggregateAsync(SeriesKey series, long from, long to, long bucketMs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketMs, 1);
        if (Find(series) is not { } state || from >= to)
        {
            return [];
        }

        if (state.Kind == SeriesKind.Text)
        {
            throw new ArgumentException($"{series.Tag} is a text series; read its points instead", nameof(series));
        }

        long alignedFrom = RollupMath.AlignDown(from, bucketMs), alignedTo = RollupMath.AlignDown(to - 1, bucketMs);
        if (alignedTo > long.MaxValue - bucketMs || alignedFrom == long.MinValue || (alignedTo - alignedFrom) / bucketMs >= MaxBuckets)
        {
            throw new ArgumentException($"at most {MaxBuckets} buckets per query; use wider buckets or a shorter range", nameof(bucketMs));
        }

        alignedTo += bucketMs;

        var table = bucketMs % RollupMath.Hour == 0 ? "ts_rollup_1h" : bucketMs % RollupMath.Minute == 0 ? "ts_rollup_1m" : null;
        await using var connection = await _database.OpenAsync(cancellationToken);
        while (true)
        {
            var epoch = await StableEpochAsync(cancellationToken);
            PointBuffer head;
            ChunkMarks marks;
            lock (_heads)
            {
                head = state.Head.Slice(long.MinValue, long.MaxValue);
                marks = state.Marks;
            }

            var result = table is null
                ? await RawAggregateAsync(connection, state, head, alignedFrom, alignedTo, bucketMs, cancellationToken)
                : await RollupAggregateAsync(connection, table, state, head, marks, alignedFrom, alignedTo, bucketMs, cancellationToken);
            if (Volatile.Read(ref _epoch) == epoch)
            {
                return [.. result.Select(r => r.ToBucket())];
            }
        }
    }

    /// <summary>
    /// At most <paramref name="maxPoints"/> columns (min and max per bucket) over [from, to), whatever the range:
    /// the bucket width grows until the aligned buckets fit, rounded to whole minutes or hours once it reaches
    /// them so that long ranges read rollups. Min/max keeps every spike visible, which LTTB may drop.
    /// </summary>
    public async Task<Chart> ChartAsync(SeriesKey series, long from, long to, int maxPoints, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (from >= to)
        {
            return new Chart(1, []);
        }

        var range = (ulong)(to - from);
        if (range > long.MaxValue / 4)
        {
            throw new ArgumentException("the range is too long to chart", nameof(to));
        }

        var width = Nice(Math.Max(1, ((long)range + maxPoints - 1) / maxPoints));
        while (RollupMath.AlignDown(to - 1, width) / width - (RollupMath.AlignDown(from, width) / width) + 1 > maxPoints)
        {
            width = Nice(width + 1);
        }

        var buckets = await AggregateAsync(series, from, to, width, cancellationToken);
        return new Chart(width, [.. buckets.Select(b => new ChartPoint(b.Start, b.Min, b.Max))]);
    }

    private static long Nice(long width) =>
        width >= RollupMath.Hour ? (width + RollupMath.Hour - 1) / RollupMath.Hour * RollupMath.Hour
        : width >= RollupMath.Minute ? (width + RollupMath.Minute - 1) / RollupMath.Minute * RollupMath.Minute
        : width;

    private static async Task<List<Rollup>> RollupAggregateAsync(
        DbConnection connection, string table, SeriesState state, PointBuffer head, ChunkMarks marks, long from, long to, long width, CancellationToken cancellationToken)
    {
        var inRange = head.Slice(from, to);
        // Late head points (not newer than the chunks) may sit between chunked points that rollup rows already
        // summarise: buckets from the first of them on come from raw points. For a counter a late point before
        // the range counts too, since it changes the rise of the next point, which may lie in the range.
        var split = to;
        if (head.Count > 0 && head.Times[0] <= marks.Max && head.Times[0] < to)
        {
            split = head.Times[0] >= from ? RollupMath.AlignDown(head.Times[0], width)
                : state.Kind == SeriesKind.Counter ? from
                : inRange.Count > 0 && inRange.Times[0] <= marks.Max ? RollupMath.AlignDown(inRange.Times[0], width) : to;
        }

        var rows = RollupMath.Regroup(await ReadRollupsAsync(connection, table, state, from, split, cancellationToken), width);
        if (split < to)
        {
            rows.AddRange(await RawAggregateAsync(connection, state, head, split, to, width, cancellationToken));
            return rows;
        }

        if (inRange.Count == 0)
        {
            return rows;
        }

        // In order: the head's points all follow the chunked ones, so their summaries extend the stored rows.
        var index = head.LowerBound(from);
        // The first point's predecessor is the newer of the head point before the range and the last chunked one.
        double? previous = index > 0 && head.Times[index - 1] > marks.Max ? head.Numbers[index - 1] : marks.Any ? marks.Last : null;
        var fresh = new List<Rollup>();
        RollupMath.Summarise(ChunkCodec.Span(inRange.Times), ChunkCodec.Span(inRange.Numbers), previous, width, state.Kind, state.WrapModulus, fresh);
        return MergeRollups(rows, fresh);
    }

    private static List<Rollup> MergeRollups(List<Rollup> stored, List<Rollup> later)
    {
        var result = new List<Rollup>(stored.Count + later.Count);
        int i = 0, j = 0;
        while (i < stored.Count || j < later.Count)
        {
            if (j >= later.Count || (i < stored.Count && stored[i].Bucket < later[j].Bucket))
            {
                result.Add(stored[i++]);
            }
            else if (i >= stored.Count || later[j].Bucket < stored[i].Bucket)
            {
                result.Add(later[j++]);
            }
            else
            {
                result.Add(stored[i++].Then(later[j++]));
            }
        }

        return result;
    }

    private static async Task<List<Rollup>> RawAggregateAsync(DbConnection connection, SeriesState state, PointBuffer head, long from, long to, long width, CancellationToken cancellationToken)
    {
        var stored = await ChunkReader.ReadAsync(connection, null, state, from, to, cancellationToken: cancellationToken);
        var points = PointBuffer.Merge(stored, head.Slice(from, to));
        double? previous = null;
        if (state.Kind == SeriesKind.Counter)
        {
            var headIndex = head.LowerBound(from) - 1;
            var chunked = await ChunkReader.LastBeforeAsync(connection, null, state, from, cancellationToken);
            previous = headIndex >= 0 && (chunked is null || head.Times[headIndex] > chunked.Value.Timestamp) ? head.Numbers[headIndex] : chunked?.Number;
        }

        var result = new List<Rollup>();
        RollupMath.Summarise(ChunkCodec.Span(points.Times), ChunkCodec.Span(points.Numbers), previous, width, state.Kind, state.WrapModulus, result);
        return result;
    }

    private static async Task<List<Rollup>> ReadRollupsAsync(DbConnection connection, string table, SeriesState state, long from, long to, CancellationToken cancellationToken)
    {
        var rows = new List<Rollup>();
        if (from >= to)
        {
            return rows;
        }

        await using var command = ChunkReader.Command(connection, null,
            $"SELECT {RollupSql.Columns} FROM {table} WHERE series_id = @s AND bucket >= @a AND bucket < @b ORDER BY bucket", ("@s", state.Id), ("@a", from), ("@b", to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Rollup(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7)));
        }

        return rows;
    }

    /// <summary>Waits out a checkpoint's commit, which takes an fsync or two.</summary>
    private async ValueTask<long> StableEpochAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch);
            if ((epoch & 1) == 0)
            {
                return epoch;
            }

            await Task.Delay(1, cancellationToken);
        }
    }
}
