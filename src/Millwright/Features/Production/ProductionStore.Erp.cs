using Millwright.Api;
using Millwright.Scheduling.Erp;

namespace Millwright.Features.Production;

/// <summary>The ERP's reference on <c>orders</c> (migration 0027): finding, marking and amending orders an ERP sent.</summary>
internal static partial class ProductionStore
{
    public static Task<OrderRow?> OrderByErpNumberAsync(Session s, string erpNumber) =>
        s.QueryOneAsync<OrderRow>($"SELECT {OrderColumns} FROM {OrderFrom} WHERE o.tenant_id = @Tenant AND o.erp_number = @erpNumber", new { s.Tenant, erpNumber });

    public static Task MarkErpOrderAsync(Session s, long id, string erpNumber) =>
        s.ExecuteAsync("UPDATE orders SET erp_number = @erpNumber WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, erpNumber });

    /// <summary>
    /// New terms for an order no machine has started: quantity (its jobs' too), due date and priority. Only a
    /// planned or released order changes; returns false when it had moved on meanwhile.
    /// </summary>
    public static async Task<bool> AmendOrderAsync(Session s, long id, long quantity, long dueAt, int priority)
    {
        var changed = await s.ExecuteAsync(
            $"UPDATE orders SET quantity = @quantity, due_at = @dueAt, priority = @priority WHERE tenant_id = @Tenant AND id = @id AND status IN ({Planned}, {Released})",
            new { s.Tenant, id, quantity, dueAt, priority });
        if (changed == 0)
        {
            return false;
        }

        await s.ExecuteAsync("UPDATE jobs SET quantity = @quantity WHERE tenant_id = @Tenant AND order_id = @id", new { s.Tenant, id, quantity });
        return true;
    }

    /// <summary>What happened to the order so far, for the ERP (B2MML ProductionPerformance); null when the tenant has no such order.</summary>
    public static async Task<PerformanceOrder?> PerformanceAsync(Session s, long orderId)
    {
        if (await OrderAsync(s, orderId) is not { } order)
        {
            return null;
        }

        var jobs = (await JobsOfAsync(s, [orderId])).GetValueOrDefault(orderId) ?? [];
        var runs = (await s.QueryAsync<(long JobId, long MachineId, string? Machine, long StartedAt, long EndedAt, long Good, long Scrap)>(
                """
                SELECT r.job_id, r.machine_id, m.name, r.started_at, r.ended_at, r.good, r.scrap
                FROM job_runs r JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id
                LEFT JOIN machines m ON m.tenant_id = r.tenant_id AND m.id = r.machine_id
                WHERE r.tenant_id = @Tenant AND j.order_id = @orderId ORDER BY r.started_at, r.id
                """, new { s.Tenant, orderId }))
            .ToLookup(r => r.JobId);
        // Ids are longs from the store, so writing them into the statement is safe.
        var itemIds = string.Join(",", jobs.SelectMany(j => j.MaterialList).Select(m => m.ItemId).Append(order.ItemId).Distinct());
        var items = (await s.QueryAsync<(long Id, string Sku, string Unit)>(
                $"SELECT id, sku, unit FROM inventory_items WHERE tenant_id = @Tenant AND id IN ({itemIds})", new { s.Tenant }))
            .ToDictionary(i => i.Id);
        var segments = new List<PerformanceSegment>();
        foreach (var job in jobs)
        {
            var done = new List<PerformanceRun>();
            long earlierGood = 0, earlierScrap = 0;
            foreach (var run in runs[job.Id])
            {
                // A machine deleted since keeps its place in the history by its id.
                done.Add(new PerformanceRun(run.Machine ?? $"machine {run.MachineId}", At(run.StartedAt), At(run.EndedAt), run.Good, run.Scrap));
                (earlierGood, earlierScrap) = (earlierGood + run.Good, earlierScrap + run.Scrap);
            }

            if (job is { StartedAt: { } started, MachineName: { } machine })
            {
                done.Add(new PerformanceRun(machine, At(started), job.EndedAt is { } ended ? At(ended) : null, job.Good - earlierGood, job.Scrap - earlierScrap));
            }

            // Production issues the routing's materials per part made, good or scrap (ProductionPlanner.Execution).
            var consumed = job.MaterialList
                .Where(m => items.ContainsKey(m.ItemId) && job.Good + job.Scrap > 0)
                .Select(m => new PerformanceMaterial(items[m.ItemId].Sku, items[m.ItemId].Unit, m.Quantity * (job.Good + job.Scrap)))
                .ToList();
            segments.Add(new PerformanceSegment(job.Id, job.Seq, job.Operation, job.Status, done.Count > 0 ? done[0].Start : null, job.EndedAt is { } end ? At(end) : null,
                job.Good, job.Scrap, done, consumed));
        }

        var item = items[order.ItemId];
        var start = segments.Select(x => x.Start).Where(x => x is not null).Min();
        return new PerformanceOrder(order.Number, order.ErpNumber, order.Status, item.Sku, item.Unit, order.Quantity, order.Good, order.Scrap,
            start, order.CompletedAt is { } completed ? At(completed) : null, segments);
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
