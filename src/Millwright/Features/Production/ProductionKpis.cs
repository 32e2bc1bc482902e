using Millwright.Api;

namespace Millwright.Features.Production;

internal sealed record ProductionKpiQuery(ZonedTime? From, ZonedTime? To, long? SiteId);

/// <summary>Production KPIs over [From, To); see docs/kpis.md for the definitions. Null where there is nothing to measure.</summary>
internal sealed record ProductionKpiDto(
    DateTimeOffset From,
    DateTimeOffset To,
    long OrdersCompleted,
    double? LeadTimeHours,
    double? MaxLeadTimeHours,
    double? OnTimeDelivery,
    long OrdersInProgress,
    long UnitsInProgress,
    long JobsRunning,
    long JobsCompleted,
    double? ScheduleAdherence);

/// <summary>
/// Lead time (release to completion of orders completed in the period), on-time delivery (share of them done by
/// their due date), work in progress now (open orders, their units not yet made good, jobs on machines) and
/// schedule adherence (share of jobs completed in the period that ended by the end committed at dispatch,
/// give or take a minute or a tenth of the planned time).
/// </summary>
internal static class ProductionKpis
{
    public static async Task<ProductionKpiDto> GetAsync(Session s, ProductionKpiQuery query)
    {
        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, TimeSpan.FromDays(366));
        if (query.SiteId is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        var completed = await ProductionStore.CompletedOrdersAsync(s, from, to, query.SiteId);
        var open = await ProductionStore.OpenOrderUnitsAsync(s, query.SiteId);
        var units = 0L;
        foreach (var order in open)
        {
            units += order.Quantity - order.Good;
        }

        var running = await ProductionStore.HeldJobCountAsync(s, query.SiteId);
        var jobs = await ProductionStore.CommittedJobsDoneAsync(s, from, to, query.SiteId);
        var adhering = jobs.Count(j => j.EndedAt <= j.CommittedEnd + Tolerance(j.DispatchedAt, j.CommittedEnd));
        var leads = completed.Select(o => (o.CompletedAt - o.ReleasedAt) / 3_600_000.0).ToList();
        return new ProductionKpiDto(
            DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to),
            completed.Count,
            leads.Count > 0 ? Math.Round(leads.Average(), 4) : null,
            leads.Count > 0 ? Math.Round(leads.Max(), 4) : null,
            completed.Count > 0 ? Math.Round(completed.Count(o => o.CompletedAt <= o.DueAt) / (double)completed.Count, 4) : null,
            open.Count, units, running, jobs.Count,
            jobs.Count > 0 ? Math.Round(adhering / (double)jobs.Count, 4) : null);
    }

    /// <summary>How far past its committed end a job may finish and still count as on schedule: a minute, or a tenth of its planned time.</summary>
    public static long Tolerance(long dispatchedAt, long committedEnd) => Math.Max(60_000, (committedEnd - dispatchedAt) / 10);
}
