using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    // New series go in as multi-row INSERTs: one round trip per few hundred, not one each (a fleet's first batch).
    private const int SeriesPerInsert = 500;

    // Guarded by _writer: the appender's scratch, reused by every batch (see AppendCoreAsync).
    private readonly List<(SeriesState Series, int Index)> _accepted = [];
    private readonly List<SeriesState> _touched = [];
    private readonly List<LogPoint> _log = [];
    private readonly ArrayBufferWriter<byte> _logBody = new(64 * 1024);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Stores a batch: valid, new points go into ts_log in one transaction (with any new series), and the task
    /// completes only after that commit, so an acknowledgement sent after it survives a crash. Repeated points
    /// (the same series and timestamp as a stored or earlier point) keep the first value. Points outside the
    /// late window or ahead of the clock, and malformed ones, come back as rejected with a reason. Then, when the
    /// ingest log has grown past its bound, one checkpoint slice (<see cref="CheckpointIfDueAsync"/>).
    /// </summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<IngestPoint> points, CancellationToken cancellationToken = default)
    {
        var result = await AppendOnlyAsync(points, cancellationToken);
        await CheckpointIfDueAsync(cancellationToken: cancellationToken);
        return result;
    }

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{IngestPoint}, CancellationToken)"/> without the checkpoint slice: for
    /// a caller that acknowledges the points first and then calls <see cref="CheckpointIfDueAsync"/>, so that no
    /// sender waits for the slice.
    /// </summary>
    public async Task<AppendResult> AppendOnlyAsync(IReadOnlyList<IngestPoint> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        using (await HoldWriterAsync("append", cancellationToken))
        {
            EnsureWritable();
            return await AppendCoreAsync(points, cancellationToken);
        }
    }

    /// <summary>
    /// Moves one slice of about <paramref name="slicePoints"/> points (at most, and when null, <see cref="TimeSeriesOptions.CheckpointSlicePoints"/>)
    /// from the ingest log into chunks when the log holds more than <see cref="TimeSeriesOptions.CheckpointPoints"/>;
    /// a caller with others waiting behind it (another tenant's values) asks for short slices. The points are
    /// committed whatever becomes of the slice, so its failure is counted, not thrown: the periodic checkpoint
    /// retries and reports it.
    /// </summary>
    public async Task CheckpointIfDueAsync(int? slicePoints = null, CancellationToken cancellationToken = default)
    {
        var budget = Math.Min(slicePoints ?? int.MaxValue, _options.CheckpointSlicePoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        if (!CheckpointDue)
        {
            return;
        }

        using var hold = await HoldWriterAsync("slice", cancellationToken);
        try
        {
            EnsureWritable();
            await CheckpointSliceAsync(budget, long.MaxValue, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            CheckpointFailures.Add(1);
        }
    }

    private async Task<AppendResult> AppendCoreAsync(IReadOnlyList<IngestPoint> points, CancellationToken cancellationToken)
    {
        var now = Now;
        long oldest = now - (long)_options.LateWindow.TotalMilliseconds, newest = now + (long)_options.FutureTolerance.TotalMilliseconds;
        List<RejectedPoint>? rejected = null;
        Dictionary<SeriesKey, SeriesState>? created = null;
        List<int>? late = null;
        // The appender's own lists, kept between batches (one appender at a time holds _writer): new ones per batch
        // were large-object allocations at a few thousand points, and each of those brought a full collection nearer.
        var accepted = _accepted;
        var touched = _touched;
        accepted.Clear();
        touched.Clear();
        var duplicates = 0;
        try
        {
            for (var i = 0; i < points.Count; i++)
            {
                var point = points[i];
                var problem = Check(point, oldest, newest);
                SeriesState? series = null;
                if (problem is null)
                {
                    series = _series.GetValueOrDefault(point.Series) ?? created?.GetValueOrDefault(point.Series);
                    if (series is null)
                    {
                        series = new SeriesState(0, point.Series, point.Kind, point.Kind == SeriesKind.Counter ? point.WrapModulus : 0);
                        (created ??= []).Add(point.Series, series);
                    }
                    else if (series.Kind != point.Kind)
                    {
                        problem = $"the series {point.Series.Tag} holds {series.Kind} values, not {point.Kind}";
                    }
                }

                if (problem is not null)
                {
                    (rejected ??= []).Add(new RejectedPoint(i, problem));
                    continue;
                }

                if (series!.BatchTimes.Count == 0)
                {
                    touched.Add(series);
                }

                var time = point.Timestamp;
                if (time > series.BatchMax && time > series.NewestKnown)
                {
                    // In order: the common case, no lookup.
                    series.BatchMax = time;
                }
                else if (series.Head.Contains(time) || series.BatchTimes.Contains(time))
                {
                    duplicates++;
                    continue;
                }
                else if (time == series.Marks.Max && series.Marks.Any)
                {
                    // The newest chunked point's own timestamp: taken, no need to read the chunk. The common case of
                    // a device without timestamps sending twice in one millisecond just after a checkpoint, which
                    // otherwise decoded the series' whole hour inside the commit every other tenant waits for.
                    duplicates++;
                    continue;
                }
                else if (time <= series.Marks.Max)
                {
                    // Older than the newest chunked point: it may be in a chunk; look before committing.
                    (late ??= []).Add(accepted.Count);
                }

                series.BatchTimes.Add(time);
                accepted.Add((series, i));
            }

            if (late is not null)
            {
                duplicates += await DropChunkedAsync(points, accepted, late, cancellationToken);
            }

            if (accepted.Count > 0)
            {
                await CommitAsync(points, accepted, created, now, cancellationToken);
            }
        }
        finally
        {
            foreach (var series in touched)
            {
                series.BatchTimes.Clear();
                series.BatchMax = long.MinValue;
            }
        }

        AppendedPoints.Add(accepted.Count);
        DuplicatePoints.Add(duplicates);
        RejectedPoints.Add(rejected?.Count ?? 0);
        return new AppendResult(accepted.Count, duplicates, rejected ?? []);
    }

    private async Task CommitAsync(IReadOnlyList<IngestPoint> points, List<(SeriesState Series, int Index)> accepted, Dictionary<SeriesKey, SeriesState>? created, long now, CancellationToken cancellationToken)
    {
        long logId;
        using (await TurnAsync("append", cancellationToken))
        await using (var transaction = await _connection.BeginTransactionAsync(cancellationToken))
        {
            await FenceAsync(transaction, cancellationToken);
            if (created is not null)
            {
                await InsertSeriesAsync(created, transaction, now, cancellationToken);
            }

            var log = _log;
            log.Clear();
            foreach (var (series, index) in accepted)
            {
                var point = points[index];
                log.Add(new LogPoint(series.Id, point.Timestamp, point.Number, series.Kind == SeriesKind.Text ? point.Text : null));
            }

            logId = _lastLog + 1;
            await using (var insert = ChunkReader.Command(_connection, transaction, "INSERT INTO ts_log (id, points, body) VALUES (@id, @n, @b)",
                ("@id", logId), ("@n", (long)log.Count), ("@b", IngestLogCodec.Encode(log, _logBody))))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await CommitOrFaultAsync(transaction);
            _lastLog = logId;
        }

        // Durable now; make the points visible to queries and to the next checkpoint.
        lock (_heads)
        {
            foreach (var series in created?.Values ?? Enumerable.Empty<SeriesState>())
            {
                Register(series);
            }

            foreach (var (series, index) in accepted)
            {
                var point = points[index];
                Apply(series, point.Timestamp, point.Number, series.Kind == SeriesKind.Text ? point.Text : null, logId);
            }
        }
    }

    private async Task InsertSeriesAsync(Dictionary<SeriesKey, SeriesState> created, DbTransaction transaction, long now, CancellationToken cancellationToken)
    {
        foreach (var group in created.Values.Chunk(SeriesPerInsert))
        {
            await using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO ts_series (tenant_id, machine_id, tag, kind, wrap_modulus, created_at) VALUES ");
            for (var i = 0; i < group.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? ", " : "")}(@t{i}, @m{i}, @g{i}, @k{i}, @w{i}, @c)");
                Add(insert, $"@t{i}", group[i].Key.TenantId);
                Add(insert, $"@m{i}", group[i].Key.MachineId);
                Add(insert, $"@g{i}", group[i].Key.Tag);
                Add(insert, $"@k{i}", (long)group[i].Kind);
                Add(insert, $"@w{i}", group[i].WrapModulus);
            }

            Add(insert, "@c", now);
            // RETURNING promises no order, so each id is matched to its series by the key.
            insert.CommandText = sql.Append(" RETURNING series_id, tenant_id, machine_id, tag").ToString();
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                created[new SeriesKey(reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3))].Id = reader.GetInt64(0);
            }
        }

        static void Add(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>Removes the late points a chunk already holds, reading each touched series-hour once.</summary>
    private async Task<int> DropChunkedAsync(IReadOnlyList<IngestPoint> points, List<(SeriesState Series, int Index)> accepted, List<int> late, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<(SeriesState, long), PointBuffer>();
        var drop = new HashSet<int>();
        foreach (var position in late)
        {
            var (series, index) = accepted[position];
            var time = points[index].Timestamp;
            var hour = RollupMath.AlignDown(time, RollupMath.Hour);
            if (!loaded.TryGetValue((series, hour), out var chunked))
            {
                chunked = await ChunkReader.ReadAsync(_connection, null, series, hour, hour + RollupMath.Hour, cancellationToken: cancellationToken);
                loaded.Add((series, hour), chunked);
            }

            if (chunked.Contains(time))
            {
                drop.Add(position);
            }
        }

        if (drop.Count > 0)
        {
            var kept = accepted.Where((_, position) => !drop.Contains(position)).ToList();
            accepted.Clear();
            accepted.AddRange(kept);
        }

        return drop.Count;
    }

    private string? Check(in IngestPoint point, long oldest, long newest)
    {
        if (string.IsNullOrEmpty(point.Series.Tag) || point.Series.Tag.Length > _options.MaxTagLength)
        {
            return $"a tag has 1 to {_options.MaxTagLength} characters";
        }

        if (point.Series.TenantId <= 0 || point.Series.MachineId <= 0)
        {
            return "tenant and machine ids are positive";
        }

        if (point.Timestamp < oldest)
        {
            return $"older than the late window ({_options.LateWindow.TotalHours:0.##} h behind the clock)";
        }

        if (point.Timestamp > newest)
        {
            return $"more than {_options.FutureTolerance.TotalSeconds:0} s ahead of the clock";
        }

        return point.Kind switch
        {
            SeriesKind.Text => CheckText(point.Text),
            SeriesKind.Gauge => double.IsFinite(point.Number) ? null : "not a finite number",
            SeriesKind.Boolean => point.Number is 0 or 1 ? null : "a boolean is 0 or 1",
            SeriesKind.Counter => point.Number < 0 || !double.IsFinite(point.Number) ? "a counter is a finite number, never negative"
                : !double.IsFinite(point.WrapModulus) || point.WrapModulus < 0 ? "a wrap modulus is a positive number, or 0 for none"
                : point.WrapModulus > 0 && point.Number >= point.WrapModulus ? "a counter value is below its wrap modulus"
                : null,
            _ => $"unknown series kind {(int)point.Kind}",
        };
    }

    private static string? CheckText(string? text)
    {
        if (text is null)
        {
            return "a text series needs a text value";
        }

        try
        {
            return StrictUtf8.GetByteCount(text) <= TimeSeriesChunk.MaxTextBytes ? null : $"a text value has at most {TimeSeriesChunk.MaxTextBytes} bytes of UTF-8";
        }
        catch (EncoderFallbackException)
        {
            return "a text value is not valid Unicode";
        }
    }
}
