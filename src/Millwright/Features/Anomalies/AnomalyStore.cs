using Millwright.Api;

namespace Millwright.Features.Anomalies;

/// <summary>Every SQL statement on the anomaly tables, each scoped to the session's tenant.</summary>
internal static class AnomalyStore
{
    public sealed class SeriesRow
    {
        public long Id { get; set; }
        public string Tag { get; set; } = "";
        public double DiscountJump { get; set; }
        public double DiscountLevel { get; set; }
        public double DiscountPattern { get; set; }
        public double DiscountVariance { get; set; }
        public double DiscountSustained { get; set; }

        public double[] Discounts => [DiscountJump, DiscountLevel, DiscountPattern, DiscountVariance, DiscountSustained];
    }

    public sealed class DetectorRow
    {
        public long SeriesId { get; set; }
        public string Context { get; set; } = "";
        public byte[] State { get; set; } = [];
        public long SavedAt { get; set; }
    }

    public sealed record SavedDetector(long SeriesId, string Context, byte[] State, long Learned);

    public static Task<IReadOnlyList<SeriesRow>> SeriesAsync(Session s, long machineId) =>
        s.QueryAsync<SeriesRow>(
            """
            SELECT id, tag, discount_jump, discount_level, discount_pattern, discount_variance, discount_sustained
            FROM anomaly_series WHERE tenant_id = @Tenant AND machine_id = @machineId
            """,
            new { s.Tenant, machineId });

    // The machine's series first, then their detectors by key: as a join, SQLite (without statistics) walked every
    // detector of the tenant for each machine, which at 100,000 machines stopped ingest behind the watcher for minutes.
    public static Task<IReadOnlyList<DetectorRow>> DetectorsAsync(Session s, long machineId) =>
        s.QueryAsync<DetectorRow>(
            """
            SELECT d.series_id, d.context, d.state, d.saved_at FROM anomaly_detectors d
            WHERE d.tenant_id = @Tenant AND d.series_id IN (SELECT id FROM anomaly_series WHERE tenant_id = @Tenant AND machine_id = @machineId)
            """,
            new { s.Tenant, machineId });

    /// <summary>The series' id, made on first sight; the machine may have been deleted meanwhile (null).</summary>
    public static async Task<long?> EnsureSeriesAsync(Session s, long machineId, string tag)
    {
        if (await s.QueryOneAsync<long?>("SELECT id FROM machines WHERE tenant_id = @Tenant AND id = @machineId", new { s.Tenant, machineId }) is null)
        {
            return null;
        }

        await s.ExecuteAsync(
            """
            INSERT INTO anomaly_series (tenant_id, machine_id, tag, created_at) VALUES (@Tenant, @machineId, @tag, @Now)
            ON CONFLICT (tenant_id, machine_id, tag) DO NOTHING
            """,
            new { s.Tenant, machineId, tag, s.Now });
        return await s.QueryOneAsync<long?>("SELECT id FROM anomaly_series WHERE tenant_id = @Tenant AND machine_id = @machineId AND tag = @tag",
            new { s.Tenant, machineId, tag });
    }

    public static async Task SaveAsync(Session s, IEnumerable<SavedDetector> detectors)
    {
        foreach (var d in detectors)
        {
            // A series deleted with its machine since it was loaded has no parent row any more: nothing to save.
            await s.ExecuteAsync(
                """
                INSERT INTO anomaly_detectors (tenant_id, series_id, context, state, learned, saved_at)
                SELECT @Tenant, @SeriesId, @Context, @State, @Learned, @Now
                WHERE EXISTS (SELECT 1 FROM anomaly_series WHERE tenant_id = @Tenant AND id = @SeriesId)
                ON CONFLICT (tenant_id, series_id, context) DO UPDATE SET state = excluded.state, learned = excluded.learned, saved_at = excluded.saved_at
                """,
                new { s.Tenant, d.SeriesId, d.Context, d.State, d.Learned, s.Now });
        }
    }

    /// <summary>Deletes detectors a series no longer keeps (beyond its cap of contexts).</summary>
    public static async Task ForgetDetectorsAsync(Session s, IEnumerable<(long SeriesId, string Context)> contexts)
    {
        foreach (var (seriesId, context) in contexts)
        {
            await s.ExecuteAsync("DELETE FROM anomaly_detectors WHERE tenant_id = @Tenant AND series_id = @seriesId AND context = @context",
                new { s.Tenant, seriesId, context });
        }
    }

    public static Task<long> InsertAsync(Session s, AnomalyRow a) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO anomalies (tenant_id, series_id, machine_id, tag, context, at, value, score, raw_score, rarity, cause, expected_low, expected_high, since_at, explanation)
            VALUES (@Tenant, @SeriesId, @MachineId, @Tag, @Context, @At, @Value, @Score, @RawScore, @Rarity, @Cause, @ExpectedLow, @ExpectedHigh, @SinceAt, @Explanation)
            RETURNING id
            """,
            new
            {
                s.Tenant, a.SeriesId, a.MachineId, a.Tag, a.Context, a.At, a.Value, a.Score, a.RawScore, a.Rarity, a.Cause,
                a.ExpectedLow, a.ExpectedHigh, a.SinceAt, a.Explanation,
            });

    public static Task<IReadOnlyList<AnomalyRow>> ListAsync(Session s, long machineId, TimeRange range, string? tag, int limit) =>
        s.QueryAsync<AnomalyRow>(
            $"""
            SELECT {AnomalyRow.Columns} FROM anomalies
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND at >= @From AND at < @To AND (@tag IS NULL OR tag = @tag)
            ORDER BY at DESC, id DESC LIMIT @limit
            """,
            new { s.Tenant, machineId, range.From, range.To, tag, limit });

    public static Task<AnomalyRow?> FindAsync(Session s, long machineId, long id) =>
        s.QueryOneAsync<AnomalyRow>($"SELECT {AnomalyRow.Columns} FROM anomalies WHERE tenant_id = @Tenant AND machine_id = @machineId AND id = @id",
            new { s.Tenant, machineId, id });

    /// <summary>Adds minutes to the stored band; a minute already stored (written at a shutdown, then continued) becomes the envelope of both.</summary>
    public static async Task<int> SaveBandsAsync(Session s, IEnumerable<AnomalyBand> bands)
    {
        var written = 0;
        foreach (var b in bands)
        {
            written += await s.ExecuteAsync(
                """
                INSERT INTO anomaly_bands (tenant_id, series_id, minute, context, expected_low, expected_high, max_score, readings)
                SELECT @Tenant, @SeriesId, @Minute, @Context, @ExpectedLow, @ExpectedHigh, @MaxScore, @Readings
                WHERE EXISTS (SELECT 1 FROM anomaly_series WHERE tenant_id = @Tenant AND id = @SeriesId)
                ON CONFLICT (tenant_id, series_id, minute) DO UPDATE SET
                    context = excluded.context,
                    expected_low = CASE WHEN excluded.expected_low < anomaly_bands.expected_low THEN excluded.expected_low ELSE anomaly_bands.expected_low END,
                    expected_high = CASE WHEN excluded.expected_high > anomaly_bands.expected_high THEN excluded.expected_high ELSE anomaly_bands.expected_high END,
                    max_score = CASE WHEN excluded.max_score > anomaly_bands.max_score THEN excluded.max_score ELSE anomaly_bands.max_score END,
                    readings = anomaly_bands.readings + excluded.readings
                """,
                new { s.Tenant, b.SeriesId, b.Minute, b.Context, b.ExpectedLow, b.ExpectedHigh, b.MaxScore, b.Readings });
        }

        return written;
    }

    /// <summary>The stored band of one series in [from, to), oldest first.</summary>
    public static Task<IReadOnlyList<AnomalyBand>> BandAsync(Session s, long seriesId, TimeRange range) =>
        s.QueryAsync<AnomalyBand>(
            """
            SELECT series_id, minute, context, expected_low, expected_high, max_score, readings FROM anomaly_bands
            WHERE tenant_id = @Tenant AND series_id = @seriesId AND minute >= @From AND minute < @To ORDER BY minute
            """,
            new { s.Tenant, seriesId, range.From, range.To });

    public static Task<long?> SeriesIdAsync(Session s, long machineId, string tag) =>
        s.QueryOneAsync<long?>("SELECT id FROM anomaly_series WHERE tenant_id = @Tenant AND machine_id = @machineId AND tag = @tag", new { s.Tenant, machineId, tag });

    /// <summary>Deletes the tenant's band minutes before <paramref name="before"/> (the retention).</summary>
    public static Task<int> ForgetBandsAsync(Session s, long before) =>
        s.ExecuteAsync("DELETE FROM anomaly_bands WHERE tenant_id = @Tenant AND minute < @before", new { s.Tenant, before });
}
