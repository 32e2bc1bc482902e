namespace Millwright.Features.Production;

/// <summary>
/// The figures a what-if compares, computed the same way for the plan being followed and for the scenario's: from
/// planned jobs on the wall clock, so neither side gains from how the scheduler counts working time.
/// </summary>
internal static class WhatIfFigures
{
    private const double Hour = 3_600_000.0;

    /// <param name="orderOf">Each job's order.</param>
    /// <param name="until">The end of the window utilization is measured over (the later plan's last end).</param>
    public static PlanFigures Of(IReadOnlyList<PlannedJob> jobs, IReadOnlyDictionary<long, OrderRow> orderOf, IReadOnlyList<PlanMachine> machines, long now, long until)
    {
        var eta = new Dictionary<long, (OrderRow Order, long End)>();
        foreach (var job in jobs)
        {
            var order = orderOf[job.JobId];
            eta[order.Id] = (order, Math.Max(job.End, eta.TryGetValue(order.Id, out var e) ? e.End : 0));
        }

        var late = eta.Values.Where(e => e.End > e.Order.DueAt).ToList();
        var lastEnd = jobs.Count > 0 ? jobs.Max(j => j.End) : (long?)null;
        var window = Math.Max(1, until - now);
        var loads = machines.DistinctBy(m => m.Id).Select(m =>
        {
            var busy = jobs.Where(j => j.MachineId == m.Id).Sum(j => Math.Max(0, Math.Min(j.End, until) - Math.Max(j.Start, now)));
            return new MachineLoad(m.Id, m.Name, Math.Round(busy / Hour, 3), Math.Round((double)busy / window, 4));
        }).ToList();
        return new PlanFigures(
            Math.Round(late.Sum(e => e.Order.Priority * (e.End - e.Order.DueAt) / Hour), 3),
            late.Count,
            lastEnd is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
            lastEnd is { } last ? Math.Round(Math.Max(0, last - now) / Hour, 3) : 0,
            loads.Count > 0 ? Math.Round(loads.Sum(l => l.Utilization) / loads.Count, 4) : 0,
            loads);
    }

    /// <summary>The plan being followed, as stored: every open job with a machine and planned times.</summary>
    public static List<PlannedJob> Followed(IEnumerable<PlanOrder> orders) =>
        [.. orders.SelectMany(o => o.Jobs)
            .Where(j => j is { MachineId: not null, PlannedStart: not null, PlannedEnd: not null } && j.Status is not (JobStatus.Done or JobStatus.Cancelled))
            .Select(j => new PlannedJob(j.Id, j.MachineId!.Value, j.PlannedStart!.Value, j.PlannedEnd!.Value, j.PlannedSetupMs ?? 0))];
}
