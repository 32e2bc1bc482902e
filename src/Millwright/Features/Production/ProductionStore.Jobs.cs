using Dapper;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>The <c>jobs</c> table: one row per operation of an order, its plan, its machine and its counts.</summary>
internal static partial class ProductionStore
{
    private const string JobColumns =
        "j.id, j.order_id, o.number AS order_number, j.seq, j.operation, j.capability, j.program, j.setup_ms, j.unit_ms, j.quantity, j.machines, " +
        "j.materials, j.status, j.machine_id, m.name AS machine_name, j.planned_start, j.planned_setup_ms, j.planned_end, j.committed_end, j.dispatched_at, j.started_at, " +
        "j.ended_at, j.good, j.scrap, j.commands, j.rejected_by, j.unanswered_by, j.note";

    private const string JobFrom =
        "jobs j JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id LEFT JOIN machines m ON m.tenant_id = j.tenant_id AND m.id = j.machine_id";

    public static Task<JobRow?> JobAsync(Session s, long jobId) =>
        s.QueryOneAsync<JobRow>($"SELECT {JobColumns} FROM {JobFrom} WHERE j.tenant_id = @Tenant AND j.id = @jobId", new { s.Tenant, jobId });

    /// <summary>The jobs of the given orders, by order, in chain order.</summary>
    public static async Task<Dictionary<long, List<JobRow>>> JobsOfAsync(Session s, IReadOnlyList<long> orderIds)
    {
        var result = new Dictionary<long, List<JobRow>>();
        foreach (var chunk in orderIds.Chunk(100))
        {
            // Ids are longs from the store, so writing them into the statement is safe and keeps it one round trip.
            var list = string.Join(",", chunk);
            foreach (var job in await s.QueryAsync<JobRow>($"SELECT {JobColumns} FROM {JobFrom} WHERE j.tenant_id = @Tenant AND j.order_id IN ({list}) ORDER BY j.order_id, j.seq", new { s.Tenant }))
            {
                (result.TryGetValue(job.OrderId, out var jobs) ? jobs : result[job.OrderId] = []).Add(job);
            }
        }

        return result;
    }

    /// <summary>The tenant's jobs machines hold.</summary>
    public static Task<IReadOnlyList<JobRow>> HeldJobsAsync(Session s) =>
        s.QueryAsync<JobRow>($"SELECT {JobColumns} FROM {JobFrom} WHERE j.tenant_id = @Tenant AND j.status IN {Held}", new { s.Tenant });

    /// <summary>The orders of the jobs a machine holds now (sent to it or running there): whose files it may fetch.</summary>
    public static Task<IReadOnlyList<long>> OrdersHeldByAsync(Session s, long machineId) =>
        s.QueryAsync<long>($"SELECT order_id FROM jobs WHERE tenant_id = @Tenant AND machine_id = @machineId AND status IN {Held}", new { s.Tenant, machineId });

    /// <summary>Jobs machines hold, of every tenant: the planner's memory after a restart.</summary>
    public static async Task<IReadOnlyList<(long TenantId, long MachineId, long JobId)>> HeldEverywhereAsync(Storage.IDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(long, long, long)>(new CommandDefinition(
            $"SELECT tenant_id, machine_id, id FROM jobs WHERE status IN {Held} AND machine_id IS NOT NULL", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Jobs not cancelled that are planned or ran in [from, to), of the site's orders when a site is given: a Gantt chart's bars.</summary>
    public static Task<IReadOnlyList<JobRow>> JobsInAsync(Session s, long from, long to, long? siteId) =>
        s.QueryAsync<JobRow>(
            $"""
            SELECT {JobColumns} FROM {JobFrom}
            WHERE j.tenant_id = @Tenant AND (@siteId IS NULL OR o.site_id = @siteId) AND j.status <> {JobCancelled}
              AND ((j.planned_start < @to AND j.planned_end > @from) OR (j.started_at < @to AND COALESCE(j.ended_at, @Now) > @from))
            ORDER BY j.machine_id, COALESCE(j.started_at, j.planned_start)
            LIMIT 5000
            """,
            new { s.Tenant, siteId, from, to, s.Now });

    /// <summary>
    /// The machines with what each last ran in the past day, to the end or cut short: the program it still has
    /// loaded, which a job of the same program needs no setup for. Only planning needs it.
    /// </summary>
    public static async Task<List<PlanMachine>> WithLoadedProgramsAsync(Session s, IEnumerable<PlanMachine> machines)
    {
        var last = (await s.QueryAsync<(long Machine, string Program, long SetupMs, long ItemId, long EndedAt)>(
                $"""
                SELECT j.machine_id, j.program, j.setup_ms, o.item_id, j.ended_at FROM jobs j JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
                WHERE j.tenant_id = @Tenant AND j.status = {Done} AND j.ended_at > @since AND j.machine_id IS NOT NULL
                UNION ALL
                SELECT r.machine_id, j.program, j.setup_ms, o.item_id, r.ended_at FROM job_runs r JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id
                JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
                WHERE r.tenant_id = @Tenant AND r.ended_at > @since
                """,
                new { s.Tenant, since = s.Now - 86_400_000 }))
            .GroupBy(j => j.Machine).ToDictionary(g => g.Key, g => g.MaxBy(j => j.EndedAt));
        return [.. machines.Select(m => last.TryGetValue(m.Id, out var run) ? m with { Last = (run.Program, run.SetupMs, run.ItemId) } : m)];
    }

    /// <summary>Operation <paramref name="seq"/> of a new order, waiting to be planned.</summary>
    public static Task InsertJobAsync(Session s, long orderId, int seq, string operation, string capability, string program, long setupMs, long unitMs, long quantity, string? machines, string? materials) =>
        s.ExecuteAsync(
            $"""
            INSERT INTO jobs (tenant_id, order_id, seq, operation, capability, program, setup_ms, unit_ms, quantity, machines, materials, status)
            VALUES (@Tenant, @orderId, @seq, @operation, @capability, @program, @setupMs, @unitMs, @quantity, @machines, @materials, {Waiting})
            """,
            new { s.Tenant, orderId, seq, operation, capability, program, setupMs, unitMs, quantity, machines, materials });

    /// <summary>A waiting job's setup and unit time as its order's customization says (an embroidery design's run time), not the routing's.</summary>
    public static Task RetimeJobAsync(Session s, long jobId, long setupMs, long unitMs) =>
        s.ExecuteAsync($"UPDATE jobs SET setup_ms = @setupMs, unit_ms = @unitMs WHERE tenant_id = @Tenant AND id = @jobId AND status = {Waiting}",
            new { s.Tenant, setupMs, unitMs, jobId });

    /// <summary>A plan's place for a waiting job: machine, start, setup and end; a job a machine took meanwhile keeps its own.</summary>
    public static Task PlaceJobAsync(Session s, long jobId, long machineId, long start, long setupMs, long end) =>
        s.ExecuteAsync(
            $"UPDATE jobs SET machine_id = @machineId, planned_start = @start, planned_setup_ms = @setupMs, planned_end = @end WHERE tenant_id = @Tenant AND id = @jobId AND status = {Waiting}",
            new { s.Tenant, machineId, start, setupMs, end, jobId });

    /// <summary>A held job's end as the plan now sees it; its machine and start stay.</summary>
    public static Task SetPlannedEndAsync(Session s, long jobId, long end) =>
        s.ExecuteAsync("UPDATE jobs SET planned_end = @end WHERE tenant_id = @Tenant AND id = @jobId", new { s.Tenant, end, jobId });

    /// <summary>A waiting job goes to its planned machine now; its committed end is its planned end. False when it was not waiting.</summary>
    public static async Task<bool> DispatchJobAsync(Session s, long jobId) =>
        await s.ExecuteAsync(
            $"""
            UPDATE jobs SET status = {Dispatched}, dispatched_at = @Now, committed_end = planned_end, commands = commands + 1
            WHERE tenant_id = @Tenant AND id = @jobId AND status = {Waiting}
            """,
            new { s.Tenant, s.Now, jobId }) > 0;

    /// <summary>A held job sent to its machine again (after a restart), waiting for its answer as when first dispatched.</summary>
    public static Task ResendJobAsync(Session s, long jobId) =>
        s.ExecuteAsync(
            $"UPDATE jobs SET status = {Dispatched}, dispatched_at = @Now, commands = commands + 1 WHERE tenant_id = @Tenant AND id = @jobId",
            new { s.Tenant, s.Now, jobId });

    /// <summary>The machine accepted: the job runs. A job resent after a restart keeps the start of the run it may still be in.</summary>
    public static Task StartJobAsync(Session s, long jobId) =>
        s.ExecuteAsync($"UPDATE jobs SET status = {Running}, started_at = COALESCE(started_at, @Now) WHERE tenant_id = @Tenant AND id = @jobId",
            new { s.Tenant, s.Now, jobId });

    public static Task CountJobAsync(Session s, long jobId, long good, long scrap) =>
        s.ExecuteAsync("UPDATE jobs SET good = @good, scrap = @scrap WHERE tenant_id = @Tenant AND id = @jobId", new { s.Tenant, good, scrap, jobId });

    public static Task FinishJobAsync(Session s, long jobId, long good, long scrap) =>
        s.ExecuteAsync($"UPDATE jobs SET status = {Done}, ended_at = @Now, good = @good, scrap = @scrap, note = NULL WHERE tenant_id = @Tenant AND id = @jobId",
            new { s.Tenant, s.Now, good, scrap, jobId });

    /// <summary>
    /// A job back to waiting, off its machine, with <paramref name="note"/> saying why. When <paramref name="avoid"/>
    /// is given, the machines that refused it and those that let it time out are recorded too.
    /// </summary>
    public static Task RequeueJobAsync(Session s, long jobId, string note, (IReadOnlyList<long> Refusers, IReadOnlyList<long> Silent)? avoid = null) =>
        avoid is { } a
            ? s.ExecuteAsync(
                $"""
                UPDATE jobs SET status = {Waiting}, dispatched_at = NULL, started_at = NULL, committed_end = NULL,
                    rejected_by = @refused, unanswered_by = @silent, note = @note
                WHERE tenant_id = @Tenant AND id = @jobId
                """,
                new { s.Tenant, jobId, note, refused = a.Refusers.Count > 0 ? JobRow.ToJson(a.Refusers) : null, silent = a.Silent.Count > 0 ? JobRow.ToJson(a.Silent) : null })
            : s.ExecuteAsync(
                $"UPDATE jobs SET status = {Waiting}, dispatched_at = NULL, started_at = NULL, committed_end = NULL, note = @note WHERE tenant_id = @Tenant AND id = @jobId",
                new { s.Tenant, jobId, note });

    /// <summary>Whether the order has operations after <paramref name="seq"/> still to do or done (cancelled ones do not count).</summary>
    public static async Task<bool> HasLaterJobsAsync(Session s, long orderId, int seq) =>
        await s.ScalarAsync<long>($"SELECT COUNT(*) FROM jobs WHERE tenant_id = @Tenant AND order_id = @orderId AND seq > @seq AND status <> {JobCancelled}",
            new { s.Tenant, orderId, seq }) > 0;

    /// <summary>How many jobs machines hold now, of the site's orders when a site is given.</summary>
    public static Task<long> HeldJobCountAsync(Session s, long? siteId) =>
        s.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM jobs j JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id WHERE j.tenant_id = @Tenant AND j.status IN {Held} AND (@siteId IS NULL OR o.site_id = @siteId)",
            new { s.Tenant, siteId });

    /// <summary>Jobs done in [from, to) that had a committed end: dispatch, committed end and actual end, for schedule adherence.</summary>
    public static Task<IReadOnlyList<(long DispatchedAt, long CommittedEnd, long EndedAt)>> CommittedJobsDoneAsync(Session s, long from, long to, long? siteId) =>
        s.QueryAsync<(long DispatchedAt, long CommittedEnd, long EndedAt)>(
            $"""
            SELECT j.dispatched_at, j.committed_end, j.ended_at FROM jobs j JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
            WHERE j.tenant_id = @Tenant AND j.status = {Done} AND j.ended_at >= @from AND j.ended_at < @to
              AND j.committed_end IS NOT NULL AND j.dispatched_at IS NOT NULL AND (@siteId IS NULL OR o.site_id = @siteId)
            """,
            new { s.Tenant, from, to, siteId });
}
