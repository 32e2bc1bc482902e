using Dapper;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    /// <summary>Sets a tenant's retention (null levels are kept forever); refused if it could cut into the late window.</summary>
    public async Task SetRetentionAsync(long tenantId, RetentionPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = TimeSeriesOptions.ProblemsOf(policy, _options.LateWindow).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid retention: " + string.Join("; ", problems), nameof(policy));
        }

        using var turn = await _database.WriterTurnAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ts_retention (tenant_id, raw_ms, minute_ms, hour_ms) VALUES (@tenantId, @raw, @minute, @hour) "
            + "ON CONFLICT (tenant_id) DO UPDATE SET raw_ms = excluded.raw_ms, minute_ms = excluded.minute_ms, hour_ms = excluded.hour_ms",
            new { tenantId, raw = Millis(policy.Raw), minute = Millis(policy.Minute), hour = Millis(policy.Hour) }, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's retention, or the default of the options when it has none of its own.</summary>
    public async Task<RetentionPolicy> GetRetentionAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long TenantId, long? RawMs, long? MinuteMs, long? HourMs)?>(new CommandDefinition(
            "SELECT tenant_id, raw_ms, minute_ms, hour_ms FROM ts_retention WHERE tenant_id = @tenantId", new { tenantId }, cancellationToken: cancellationToken));
        return row is { } r ? new RetentionPolicy(Span(r.RawMs), Span(r.MinuteMs), Span(r.HourMs)) : _options.DefaultRetention;
    }

    /// <summary>
    /// Deletes, per tenant policy (defaults from the options), whole chunks whose last point and rollup rows whose
    /// bucket end lie before the horizon. Works through a few series per transaction, taking the writer lock for
    /// each, so appends wait only briefly.
    /// </summary>
    public async Task<RetentionResult> EnforceRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        Dictionary<long, RetentionPolicy> policies;
        await using (var connection = await _database.OpenAsync(cancellationToken))
        {
            var rows = await connection.QueryAsync<(long TenantId, long? RawMs, long? MinuteMs, long? HourMs)>(
                new CommandDefinition("SELECT tenant_id, raw_ms, minute_ms, hour_ms FROM ts_retention", cancellationToken: cancellationToken));
            policies = rows.ToDictionary(r => r.TenantId, r => new RetentionPolicy(Span(r.RawMs), Span(r.MinuteMs), Span(r.HourMs)));
        }

        List<(long Id, long Tenant)> series;
        lock (_heads)
        {
            series = [.. _byId.Values.Select(s => (s.Id, s.Key.TenantId)).OrderBy(s => s.Id)];
        }

        long chunks = 0, minutes = 0, hours = 0;
        foreach (var group in series.Chunk(_options.RetentionSeriesPerTransaction))
        {
            using (await HoldWriterAsync("retention", cancellationToken))
            {
                EnsureWritable();
                using var turn = await TurnAsync("retention", cancellationToken);
                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                await FenceAsync(transaction, cancellationToken);
                foreach (var (id, tenant) in group)
                {
                    var policy = policies.GetValueOrDefault(tenant) ?? _options.DefaultRetention;
                    if (policy.Raw is { } raw)
                    {
                        var horizon = nowMs - (long)raw.TotalMilliseconds;
                        chunks += await _connection.ExecuteAsync(new CommandDefinition(
                            "DELETE FROM ts_chunks WHERE series_id = @id AND start_ts < @horizon AND end_ts < @horizon", new { id, horizon }, transaction,
                            cancellationToken: cancellationToken));
                    }

                    if (policy.Minute is { } minute)
                    {
                        minutes += await _connection.ExecuteAsync(new CommandDefinition(
                            "DELETE FROM ts_rollup_1m WHERE series_id = @id AND bucket <= @last", new { id, last = nowMs - (long)minute.TotalMilliseconds - RollupMath.Minute }, transaction,
                            cancellationToken: cancellationToken));
                    }

                    if (policy.Hour is { } hour)
                    {
                        hours += await _connection.ExecuteAsync(new CommandDefinition(
                            "DELETE FROM ts_rollup_1h WHERE series_id = @id AND bucket <= @last", new { id, last = nowMs - (long)hour.TotalMilliseconds - RollupMath.Hour }, transaction,
                            cancellationToken: cancellationToken));
                    }
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }

        return new RetentionResult(chunks, minutes, hours);
    }

    private static long? Millis(TimeSpan? span) => span is { } s ? (long)s.TotalMilliseconds : null;

    private static TimeSpan? Span(long? millis) => millis is { } m ? TimeSpan.FromMilliseconds(m) : null;
}
