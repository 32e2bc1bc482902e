namespace Millwright.Storage.TimeSeries;

/// <summary>Rollup statements, in the SQL SQLite and PostgreSQL share (ON CONFLICT upserts, CASE for min/max).</summary>
internal static class RollupSql
{
    private static readonly Dictionary<(string, bool), RowStatement> Upserts = new()
    {
        [("ts_rollup_1m", true)] = Build("ts_rollup_1m", true),
        [("ts_rollup_1m", false)] = Build("ts_rollup_1m", false),
        [("ts_rollup_1h", true)] = Build("ts_rollup_1h", true),
        [("ts_rollup_1h", false)] = Build("ts_rollup_1h", false),
    };

    public const string Columns = "bucket, points, min_value, max_value, sum_value, first_value, last_value, increase";

    /// <summary>
    /// Writes a bucket's summary. With combine, the new points all come after those the stored row summarises,
    /// so the row keeps its first value and takes the new last one; otherwise the new summary replaces the row.
    /// </summary>
    public static RowStatement Upsert(string table, bool combine) => Upserts[(table, combine)];

    private static RowStatement Build(string table, bool combine)
    {
        return new RowStatement($"INSERT INTO {table} AS r (series_id, {Columns})", 9, "ON CONFLICT (series_id, bucket) DO UPDATE SET " + (combine
            ? "points = r.points + excluded.points, "
              + "min_value = CASE WHEN excluded.min_value < r.min_value THEN excluded.min_value ELSE r.min_value END, "
              + "max_value = CASE WHEN excluded.max_value > r.max_value THEN excluded.max_value ELSE r.max_value END, "
              + "sum_value = r.sum_value + excluded.sum_value, last_value = excluded.last_value, increase = r.increase + excluded.increase"
            : "points = excluded.points, min_value = excluded.min_value, max_value = excluded.max_value, sum_value = excluded.sum_value, "
              + "first_value = excluded.first_value, last_value = excluded.last_value, increase = excluded.increase"));
    }
}
