using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// The <c>job_runs</c> table: runs that ended early. A job keeps one machine and one start, so when a breakdown or a
/// cancellation ends a run, the run is written here before the job is planned again; what it made is the job's
/// count less earlier runs'.
/// </summary>
internal static partial class ProductionStore
{
    /// <summary>Records the job's current run, if it started, as ended now for <paramref name="reason"/>.</summary>
    public static Task RecordRunAsync(Session s, JobRow job, string reason) =>
        job is { StartedAt: { } started, MachineId: { } machine }
            ? s.ExecuteAsync(
                """
                INSERT INTO job_runs (tenant_id, job_id, machine_id, started_at, ended_at, good, scrap, reason)
                SELECT @Tenant, @Id, @machine, @started, @Now,
                       @Good - COALESCE(SUM(good), 0), @Scrap - COALESCE(SUM(scrap), 0), @reason
                FROM job_runs WHERE tenant_id = @Tenant AND job_id = @Id
                """,
                new { s.Tenant, job.Id, machine, started, s.Now, job.Good, job.Scrap, reason })
            : Task.CompletedTask;

    /// <summary>What the job's earlier runs made, good and scrap.</summary>
    public static async Task<(long Good, long Scrap)> EarlierRunsAsync(Session s, long jobId) =>
        await s.QueryOneAsync<(long, long)>(
            "SELECT CAST(COALESCE(SUM(good), 0) AS BIGINT), CAST(COALESCE(SUM(scrap), 0) AS BIGINT) FROM job_runs WHERE tenant_id = @Tenant AND job_id = @jobId", new { s.Tenant, jobId });

    /// <summary>Runs that overlap [from, to), of the site's orders when a site is given.</summary>
    public static async Task<List<JobRunDto>> RunsInAsync(Session s, long from, long to, long? siteId)
    {
        var rows = await s.QueryAsync<(long JobId, long OrderId, string Order, string Operation, long MachineId, string? Machine, long StartedAt, long EndedAt, long Good, long Scrap, string Reason)>(
            """
            SELECT r.job_id, j.order_id, o.number, j.operation, r.machine_id, m.name, r.started_at, r.ended_at, r.good, r.scrap, r.reason
            FROM job_runs r
            JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id
            JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
            LEFT JOIN machines m ON m.tenant_id = r.tenant_id AND m.id = r.machine_id
            WHERE r.tenant_id = @Tenant AND r.ended_at > @from AND r.started_at < @to AND (@siteId IS NULL OR o.site_id = @siteId)
            ORDER BY r.machine_id, r.started_at
            LIMIT 5000
            """,
            new { s.Tenant, from, to, siteId });
        return rows.Select(r => new JobRunDto(r.JobId, r.OrderId, r.Order, r.Operation, r.MachineId, r.Machine,
            DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.EndedAt), r.Good, r.Scrap, r.Reason)).ToList();
    }
}
