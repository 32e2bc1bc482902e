using System.Diagnostics;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    private static readonly RowStatement InsertChunk = new("INSERT INTO ts_chunks (series_id, start_ts, end_ts, points, body)", 5);
    private const string DeleteHourSql = "DELETE FROM ts_chunks WHERE series_id = @p0 AND start_ts >= @p1 AND start_ts < @p2";

    // Closed hours one slice compacts at most, besides its heads.
    private const int ClosedHoursPerSlice = 2_000;

    /// <summary>
    /// Moves every head that holds points acknowledged before the call into chunks and rollups, and compacts
    /// the chunks of hours that have closed; the host calls it periodically and at shutdown. It works in
    /// slices of <see cref="TimeSeriesOptions.CheckpointSlicePoints"/>, each its own transaction, and lets
    /// appends in between, so ingest never waits for more than one slice. Points that arrive meanwhile are left
    /// to the next checkpoint: under steady load the call still ends.
    /// </summary>
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => CheckpointAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="CheckpointAsync(CancellationToken)"/>, each slice of at most the points
    /// <paramref name="slicePoints"/> answers when it starts (null: <see cref="TimeSeriesOptions.CheckpointSlicePoints"/>):
    /// a host whose appends have several senders waiting asks for short slices, as it does after its commits.
    /// </summary>
    public async Task CheckpointAsync(Func<int?>? slicePoints, CancellationToken cancellationToken = default)
    {
        long upTo = long.MaxValue;
        bool more;
        do
        {
            using (await HoldWriterAsync("checkpoint", cancellationToken))
            {
                EnsureWritable();
                upTo = Math.Min(upTo, _lastLog);
                more = await CheckpointSliceAsync(slicePoints?.Invoke() ?? _options.CheckpointSlicePoints, upTo, cancellationToken);
            }
        }
        while (more);
    }

    /// <summary>
    /// One checkpoint transaction (the caller holds the writer lock): the dirty series with the oldest heads, up
    /// to about <paramref name="budget"/> points and <see cref="TimeSeriesOptions.CheckpointSliceSeries"/> series (at
    /// least one series), and some closed hours. ts_log keeps
    /// every row that still holds a point of a series not yet moved; a moved series records in log_through how
    /// far the log is in its chunks, so a replay after a crash skips those rows for it. True while series whose
    /// heads began at or before log row <paramref name="upTo"/>, or closed hours, are left.
    /// </summary>
    private async Task<bool> CheckpointSliceAsync(int budget, long upTo, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = Now;
        // The writer lock is held: only this method and the appender change heads, so reading them is safe.
        // The oldest heads first: a prefix of the list, which is in HeadFirstLog order.
        var dirty = new List<SeriesState>();
        var points = 0L;
        var next = _dirty.First;
        for (; next is not null && next.Value.HeadFirstLog <= upTo; next = next.Next)
        {
            var series = next.Value;
            if (dirty.Count > 0 && (points + series.Head.Count > budget || dirty.Count >= _options.CheckpointSliceSeries))
            {
                break;
            }

            dirty.Add(series);
            points += series.Head.Count;
        }

        // What the log must keep: from the oldest head this slice leaves.
        var keepFrom = next?.Value.HeadFirstLog ?? _lastLog + 1;

        // An hour left with 0 chunks (retention took them) has nothing to compact, so it is in no bucket and is
        // never picked again; a series with a head compacts its last hour when the head moves.
        var closed = _unfinishedHours
            .TakeWhile(bucket => bucket.Key + RollupMath.Hour <= now)
            .SelectMany(bucket => bucket.Value)
            .Where(s => s.Head.Count == 0)
            .Take(ClosedHoursPerSlice + 1)
            .ToList();
        var closedLeft = closed.Count > ClosedHoursPerSlice;
        if (closedLeft)
        {
            closed.RemoveAt(closed.Count - 1);
        }

        if (dirty.Count == 0 && closed.Count == 0)
        {
            return false;
        }

        var marks = new List<(SeriesState Series, ChunkMarks Marks)>(dirty.Count + closed.Count);
        using (await TurnAsync("slice", cancellationToken))
        await using (var transaction = await _connection.BeginTransactionAsync(cancellationToken))
        {
            await using var batch = new StatementBatch(_connection, transaction);
            var rewrites = new List<HourRewrite>();
            foreach (var series in dirty)
            {
                var head = series.Head;
                marks.Add((series, head.Times[0] > series.Marks.Max
                    ? await AppendChunksAsync(series, batch, rewrites, now)
                    : await MergeLateAsync(series, batch, transaction, cancellationToken)));
            }

            foreach (var series in closed)
            {
                rewrites.Add(new HourRewrite(series, series.Marks.LastHour, new PointBuffer(series.Kind == SeriesKind.Text)));
                marks.Add((series, series.Marks));
            }

            await RewriteHoursAsync(rewrites, batch, transaction, cancellationToken);
            var index = marks.Select((m, i) => (m.Series, i)).ToDictionary(x => x.Series, x => x.i);
            foreach (var rewrite in rewrites)
            {
                var (series, newMarks) = marks[index[rewrite.Series]];
                if (newMarks.LastHour == rewrite.Hour)
                {
                    marks[index[series]] = (series, newMarks with { LastHourChunks = rewrite.Written });
                }
            }

            foreach (var series in dirty)
            {
                await batch.AddAsync("UPDATE ts_series SET log_through = @p0 WHERE series_id = @p1", _lastLog, series.Id);
            }

            await batch.AddAsync("DELETE FROM ts_log WHERE id < @p0", keepFrom);

            // The fence comes after the encoding, which can take seconds for a large slice on a busy machine: its
            // lock and its idle limit (one lease) then cover the flush and the commit only, so a healthy but slow
            // appender is not ended for being idle in its transaction. Nothing commits without it.
            await FenceAsync(transaction, cancellationToken);
            await batch.FlushAsync();
            Interlocked.Increment(ref _epoch);
            try
            {
                await CommitOrFaultAsync(transaction);
                lock (_heads)
                {
                    foreach (var (series, newMarks) in marks)
                    {
                        SetMarks(series, newMarks);
                    }

                    foreach (var series in dirty)
                    {
                        _headPoints -= series.Head.Count;
                        series.Head.Clear();
                        series.LogThrough = _lastLog;
                        MarkClean(series);
                    }
                }
            }
            finally
            {
                Interlocked.Increment(ref _epoch);
            }
        }

        CheckpointDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return closedLeft || _dirty.First?.Value.HeadFirstLog <= upTo;
    }

    /// <summary>
    /// The common case: every head point is newer than the chunks. Each hour's points become a new chunk; an
    /// hour that already had chunks is rewritten as one when newer data or the clock has closed it. Rollups
    /// combine with the stored rows in SQL, since the new points all come after what those rows summarise.
    /// </summary>
    private static async Task<ChunkMarks> AppendChunksAsync(SeriesState series, StatementBatch batch, List<HourRewrite> rewrites, long now)
    {
        var head = series.Head;
        var marks = series.Marks;
        var chunks = new List<StoredChunk>();
        var start = 0;
        while (start < head.Count)
        {
            var hour = RollupMath.AlignDown(head.Times[start], RollupMath.Hour);
            var end = head.LowerBound(hour + RollupMath.Hour);
            var closed = end < head.Count || hour + RollupMath.Hour <= now;
            if (marks.Any && marks.LastHour == hour && closed && marks.LastHourChunks != 0)
            {
                // One rewrite per hour: the count is corrected after the rewrite, should the hour need two chunks.
                rewrites.Add(new HourRewrite(series, hour, head.Slice(hour, hour + RollupMath.Hour)));
                marks = marks with { LastHourChunks = 1 };
            }
            else
            {
                if (marks.Any && marks.LastHour < hour && marks.LastHourChunks != 1)
                {
                    // The previous hour gets no more in-order data: compact it.
                    rewrites.Add(new HourRewrite(series, marks.LastHour, new PointBuffer(head.IsText)));
                }

                var chunksBefore = marks.Any && marks.LastHour == hour ? marks.LastHourChunks : 0;
                chunks.Clear();
                ChunkCodec.Encode(series.Kind, ChunkCodec.Span(head.Times)[start..end], ChunkCodec.Span(head.Numbers)[(head.IsText ? 0 : start)..(head.IsText ? 0 : end)],
                    ChunkCodec.Span(head.Texts)[(head.IsText ? start : 0)..(head.IsText ? end : 0)], chunks);
                foreach (var chunk in chunks)
                {
                    await batch.AddRowAsync(InsertChunk, series.Id, chunk.Start, chunk.End, (long)chunk.Count, chunk.Body);
                }

                marks = marks with { LastHourChunks = chunksBefore < 0 ? -1 : chunksBefore + chunks.Count };
            }

            marks = marks with { Max = head.Times[end - 1], Last = head.IsText ? 0 : head.Numbers[end - 1] };
            start = end;
        }

        if (series.Kind != SeriesKind.Text)
        {
            double? previous = series.Marks.Any ? series.Marks.Last : null;
            await UpsertRollupsAsync(series, head, previous, combine: true, batch);
        }

        return marks;
    }

    /// <summary>
    /// Late points: merges the head with every chunk from the hour of its oldest point on, rewrites each hour the
    /// head touches as one chunk, and recomputes all rollups from that hour on from the merged raw points.
    /// The late window bounds how much this reads.
    /// </summary>
    private async Task<ChunkMarks> MergeLateAsync(SeriesState series, StatementBatch batch, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        var head = series.Head;
        var from = RollupMath.AlignDown(head.Times[0], RollupMath.Hour);
        await batch.FlushAsync();
        var stored = await ChunkReader.ReadAsync(_connection, transaction, series, from, long.MaxValue, cancellationToken: cancellationToken);
        var merged = PointBuffer.Merge(stored, head);
        var marks = series.Marks;
        var lastHour = RollupMath.AlignDown(merged.Last, RollupMath.Hour);
        var start = 0;
        while (start < head.Count)
        {
            var hour = RollupMath.AlignDown(head.Times[start], RollupMath.Hour);
            var written = await WriteHourAsync(series, hour, merged.Slice(hour, hour + RollupMath.Hour), batch);
            if (hour == lastHour)
            {
                marks = marks with { LastHourChunks = written };
            }

            start = head.LowerBound(hour + RollupMath.Hour);
        }

        if (series.Kind != SeriesKind.Text)
        {
            var before = await ChunkReader.LastBeforeAsync(_connection, transaction, series, from, cancellationToken);
            await UpsertRollupsAsync(series, merged, before?.Number, combine: false, batch);
        }

        return marks with { Max = merged.Last, Last = merged.IsText ? 0 : merged.Numbers[^1] };
    }

    /// <summary>Replaces the chunks of one hour of a series by as few chunks as hold the given points; returns how many.</summary>
    private static async Task<int> WriteHourAsync(SeriesState series, long hour, PointBuffer points, StatementBatch batch)
    {
        await batch.AddAsync(DeleteHourSql, series.Id, hour, hour + RollupMath.Hour);
        var chunks = new List<StoredChunk>();
        ChunkCodec.Encode(series.Kind, ChunkCodec.Span(points.Times), ChunkCodec.Span(points.Numbers), ChunkCodec.Span(points.Texts), chunks);
        foreach (var chunk in chunks)
        {
            await batch.AddRowAsync(InsertChunk, series.Id, chunk.Start, chunk.End, (long)chunk.Count, chunk.Body);
        }

        return chunks.Count;
    }

    /// <summary>
    /// Rewrites hours as one chunk each (stored points win over extra ones), reading the old chunks of up to
    /// <see cref="StatementBatch.RowsPerStatement"/> series of one hour per query. No rewritten hour was written
    /// earlier in this checkpoint, so the reads see only committed chunks.
    /// </summary>
    private async Task RewriteHoursAsync(List<HourRewrite> rewrites, StatementBatch batch, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (rewrites.Count == 0)
        {
            return;
        }

        await batch.FlushAsync();
        foreach (var group in rewrites.GroupBy(r => r.Hour).SelectMany(g => g.Chunk(StatementBatch.RowsPerStatement)))
        {
            var hour = group[0].Hour;
            var stored = group.ToDictionary(r => r.Series.Id, r => new PointBuffer(r.Series.Kind == SeriesKind.Text));
            var kinds = group.ToDictionary(r => r.Series.Id, r => r.Series.Kind);
            await using (var command = ChunkReader.Command(_connection, transaction,
                $"SELECT series_id, body FROM ts_chunks WHERE series_id IN ({string.Join(", ", group.Select((_, i) => "@s" + i))}) AND start_ts >= @h AND start_ts < @e ORDER BY series_id, start_ts",
                [.. group.Select((r, i) => ("@s" + i, (object)r.Series.Id)), ("@h", hour), ("@e", hour + RollupMath.Hour)]))
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var points = stored[reader.GetInt64(0)];
                    ChunkCodec.Decode(kinds[reader.GetInt64(0)], (byte[])reader[1], points.Times, points.Numbers, points.Texts);
                }
            }

            foreach (var rewrite in group)
            {
                var points = PointBuffer.Merge(stored[rewrite.Series.Id], rewrite.Extra);
                rewrite.Written = points.Count == 0 ? 0 : await WriteHourAsync(rewrite.Series, hour, points, batch);
            }
        }
    }

    private static async Task UpsertRollupsAsync(SeriesState series, PointBuffer points, double? previous, bool combine, StatementBatch batch)
    {
        var rollups = new List<Rollup>();
        foreach (var (table, width) in new[] { ("ts_rollup_1m", RollupMath.Minute), ("ts_rollup_1h", RollupMath.Hour) })
        {
            rollups.Clear();
            RollupMath.Summarise(ChunkCodec.Span(points.Times), ChunkCodec.Span(points.Numbers), previous, width, series.Kind, series.WrapModulus, rollups);
            var statement = RollupSql.Upsert(table, combine);
            foreach (var r in rollups)
            {
                await batch.AddRowAsync(statement, series.Id, r.Bucket, r.Count, r.Min, r.Max, r.Sum, r.First, r.Last, r.Increase);
            }
        }
    }
}
