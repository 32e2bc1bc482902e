using Millwright.Api;

namespace Millwright.Features.History;

/// <summary>
/// The spans of a tenant's data written after the fact (migration 0009, docs/simulator.md "History"): whatever the
/// tenant's states, counts, alarms and series hold between from_at and to_at of a row came from that back-fill.
/// </summary>
internal static class HistoryBackfills
{
    public static async Task<bool> AnyAsync(Session s, string source) =>
        await s.ScalarAsync<long>("SELECT COUNT(*) FROM history_backfills WHERE tenant_id = @Tenant AND source = @source", new { s.Tenant, source }) > 0;

    public static Task<long> RecordAsync(Session s, string source, long fromAt, long toAt, long messages, long points) =>
        s.ScalarAsync<long>(
            "INSERT INTO history_backfills (tenant_id, source, from_at, to_at, messages, points, created_at) "
            + "VALUES (@Tenant, @source, @fromAt, @toAt, @messages, @points, @Now) RETURNING id",
            new { s.Tenant, source, fromAt, toAt, messages, points, s.Now });

    public static Task<IReadOnlyList<HistoryBackfill>> ListAsync(Session s) =>
        s.QueryAsync<HistoryBackfill>(
            "SELECT id AS Id, source AS Source, from_at AS FromAt, to_at AS ToAt, messages AS Messages, points AS Points FROM history_backfills "
            + "WHERE tenant_id = @Tenant ORDER BY from_at, id",
            new { s.Tenant });
}
