using Dapper;
using Millwright.Api;
using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>The planner's reads and writes, each inside the caller's session (so tenant-scoped).</summary>
internal static class ProductionStore
{
    /// <summary>Released and in-progress orders with all their jobs.</summary>
    public static async Task<List<PlanOrder>> OpenOrdersAsync(Session s)
    {
        var orders = await s.QueryAsync<OrderRow>(
            $"SELECT {OrderRow.Columns} FROM {OrderRow.From} WHERE o.tenant_id = @Tenant AND o.status IN ('released', 'in_progress') ORDER BY o.id",
            new { s.Tenant });
        var jobs = await Orders.JobsOfAsync(s, orders.Select(o => o.Id).ToList());
        return orders.Select(o => new PlanOrder(o, jobs.GetValueOrDefault(o.Id, []))).ToList();
    }

    /// <summary>
    /// The tenant's machines that have a capability, with their site and whether work may go to them: not when
    /// down or offline (<paramref name="states"/> holds what the tracker said since the store last heard).
    /// </summary>
    public static async Task<List<PlanMachine>> MachinesAsync(Session s, IReadOnlyDictionary<long, string> states)
    {
        var rows = await s.QueryAsync<(long Id, string Name, long SiteId, string Capability, string? State)>(
            """
            SELECT m.id, m.name, a.site_id, c.capability, st.state
            FROM machine_capabilities c
            JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            LEFT JOIN machine_states st ON st.tenant_id = m.tenant_id AND st.machine_id = m.id AND st.end_at IS NULL
            WHERE c.tenant_id = @Tenant ORDER BY m.id
            """,
            new { s.Tenant });
        return rows.GroupBy(r => r.Id).Select(g =>
        {
            var first = g.First();
            var state = states.GetValueOrDefault(first.Id) ?? first.State;
            return new PlanMachine(first.Id, first.Name, first.SiteId, g.Select(r => r.Capability).ToHashSet(StringComparer.Ordinal), IsAvailable(state));
        }).ToList();
    }

    /// <summary>
    /// The machines with what each last ran in the past day, to the end or cut short: the program it still has
    /// loaded, which a job of the same program needs no setup for. Only planning needs it.
    /// </summary>
    public static async Task<List<PlanMachine>> WithLoadedProgramsAsync(Session s, IEnumerable<PlanMachine> machines)
    {
        var last = (await s.QueryAsync<(long Machine, string Program, long SetupMs, long EndedAt)>(
                """
                SELECT machine_id, program, setup_ms, ended_at FROM jobs
                WHERE tenant_id = @Tenant AND status = 'done' AND ended_at > @since AND machine_id IS NOT NULL
                UNION ALL
                SELECT r.machine_id, j.program, j.setup_ms, r.ended_at FROM job_runs r JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id
                WHERE r.tenant_id = @Tenant AND r.ended_at > @since
                """,
                new { s.Tenant, since = s.Now - 86_400_000 }))
            .GroupBy(j => j.Machine).ToDictionary(g => g.Key, g => g.MaxBy(j => j.EndedAt));
        return [.. machines.Select(m => last.TryGetValue(m.Id, out var run) ? m with { Last = (run.Program, run.SetupMs) } : m)];
    }

    /// <summary>Work may go to a machine that is not down or offline; one never heard from is given the benefit of the doubt.</summary>
    public static bool IsAvailable(string? state) => state is not (MachineStateNames.Down or MachineStateNames.Offline);

    public static Task<JobRow?> JobAsync(Session s, long jobId) =>
        s.QueryOneAsync<JobRow>($"SELECT {JobRow.Columns} FROM {JobRow.From} WHERE j.tenant_id = @Tenant AND j.id = @jobId", new { s.Tenant, jobId });

    /// <summary>Jobs machines hold, of every tenant: the planner's memory after a restart.</summary>
    public static async Task<IReadOnlyList<(long TenantId, long MachineId, long JobId)>> HeldEverywhereAsync(Storage.IDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(long, long, long)>(new CommandDefinition(
            "SELECT tenant_id, machine_id, id FROM jobs WHERE status IN ('dispatched', 'running') AND machine_id IS NOT NULL",
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Tenants with released or in-progress orders.</summary>
    public static async Task<IReadOnlyList<long>> TenantsWithOpenOrdersAsync(Storage.IDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT tenant_id FROM orders WHERE status IN ('released', 'in_progress')", cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<string> TenantSlugAsync(Session s) =>
        await s.ScalarAsync<string>("SELECT slug FROM tenants WHERE id = @Tenant", new { s.Tenant });

    /// <summary>
    /// Issues up to <paramref name="quantity"/> of an item at a site, never taking stock below zero; returns the
    /// shortfall (what could not be issued), which the caller reports.
    /// </summary>
    public static async Task<double> IssueAsync(Session s, long itemId, long siteId, double quantity, string note)
    {
        var stock = await s.ScalarAsync<double?>(
            "SELECT SUM(CASE WHEN kind = 'receipt' THEN quantity ELSE -quantity END) FROM inventory_movements WHERE tenant_id = @Tenant AND item_id = @itemId AND site_id = @siteId",
            new { s.Tenant, itemId, siteId }) ?? 0;
        var issued = Math.Min(quantity, Math.Max(0, stock));
        if (issued > 0)
        {
            await MoveAsync(s, itemId, siteId, "issue", issued, note);
        }

        return quantity - issued;
    }

    public static async Task MoveAsync(Session s, long itemId, long siteId, string kind, double quantity, string note) =>
        await s.ExecuteAsync(
            """
            INSERT INTO inventory_movements (tenant_id, item_id, site_id, kind, quantity, unit_cost, at, note, created_by)
            SELECT @Tenant, @itemId, @siteId, @kind, @quantity, unit_cost, @Now, @note, @Actor FROM inventory_items WHERE tenant_id = @Tenant AND id = @itemId
            """,
            new { s.Tenant, itemId, siteId, kind, quantity, s.Now, note, s.Caller.Actor });
}
