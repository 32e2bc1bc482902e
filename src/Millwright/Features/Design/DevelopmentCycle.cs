using Millwright.Api;

namespace Millwright.Features.Design;

/// <summary>
/// The new-product development cycle, measured from what the platform recorded, never typed in: per project the idea
/// submitted and accepted (when the project grew from one), the project started, its first released revision, its
/// first release to manufacturing and the first good unit made of an item released from it (the end of the first
/// job, or interrupted run, of an order's last operation that made good units). The development cycle runs from the idea (or, without one, the
/// project's start) to the first release to manufacturing; the ramp-up from there to the first good unit. Per
/// product family the means, and a baseline period against a current period (projects by the time of their first
/// release to manufacturing) as the KPI board compares them. Lead indicators: open change requests, their age and
/// the review turnaround of decided ones.
/// </summary>
internal static class DevelopmentCycle
{
    private const double DayMs = 86_400_000;
    private static readonly TimeSpan Period = TimeSpan.FromDays(180);
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(3 * 366);

    public static async Task<CycleBoardDto> BoardAsync(Session s, string? baselineFrom, string? baselineTo, string? currentFrom, string? currentTo)
    {
        var current = TimeRange.Parse(currentFrom, currentTo, Period, MaxPeriod, s.Now);
        var baseline = TimeRange.Parse(baselineFrom, baselineTo, TimeSpan.FromMilliseconds(current.Length), MaxPeriod, current.From);
        var rows = await s.QueryAsync<ProjectRow>(
            """
            SELECT p.id, p.name, p.product_family, p.created_at, p.idea_id, i.created_at AS idea_at, i.decided_at AS accepted_at,
                   (SELECT MIN(r.released_at) FROM design_revisions r WHERE r.tenant_id = p.tenant_id AND r.project_id = p.id) AS first_revision_at,
                   (SELECT MIN(m.released_at) FROM design_manufacturing m WHERE m.tenant_id = p.tenant_id AND m.project_id = p.id) AS manufactured_at,
                   (SELECT MIN(jr.ended_at) FROM job_runs jr
                      JOIN jobs j ON j.tenant_id = jr.tenant_id AND j.id = jr.job_id
                      JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
                      JOIN design_item_links l ON l.tenant_id = o.tenant_id AND l.item_id = o.item_id
                    WHERE jr.tenant_id = p.tenant_id AND l.project_id = p.id AND jr.good > 0
                      AND j.seq = (SELECT MAX(k.seq) FROM jobs k WHERE k.tenant_id = j.tenant_id AND k.order_id = j.order_id)) AS first_run_at,
                   (SELECT MIN(j.ended_at) FROM jobs j
                      JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
                      JOIN design_item_links l ON l.tenant_id = o.tenant_id AND l.item_id = o.item_id
                    WHERE j.tenant_id = p.tenant_id AND l.project_id = p.id AND j.status = 'done' AND j.good > 0
                      AND j.seq = (SELECT MAX(k.seq) FROM jobs k WHERE k.tenant_id = j.tenant_id AND k.order_id = j.order_id)) AS first_done_at
            FROM design_projects p
            LEFT JOIN ideas i ON i.tenant_id = p.tenant_id AND i.id = p.idea_id
            WHERE p.tenant_id = @Tenant
            ORDER BY p.id
            """, new { s.Tenant });
        var projects = rows.Select(r => r.AsDto()).ToList();
        var families = projects.GroupBy(p => p.ProductFamily ?? "")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CycleFamilyDto(g.Key.Length == 0 ? null : g.Key, g.Count(), g.Count(p => p.DevelopmentDays is not null),
                Mean(g.Select(p => p.DevelopmentDays)), Mean(g.Select(p => p.RampUpDays))))
            .ToList();
        var before = Compare(projects, baseline);
        var after = Compare(projects, current);
        var change = before.MeanDevelopmentDays is { } b && after.MeanDevelopmentDays is { } a && b != 0 ? (a - b) / Math.Abs(b) * 100 : (double?)null;
        return new CycleBoardDto(projects, families, before, after, change, await LeadAsync(s));
    }

    private static CyclePeriodDto Compare(List<CycleProjectDto> projects, TimeRange period)
    {
        var released = projects.Where(p => p.ManufacturedAt is { } m && m.ToUnixTimeMilliseconds() >= period.From && m.ToUnixTimeMilliseconds() < period.To).ToList();
        return new CyclePeriodDto(DateTimeOffset.FromUnixTimeMilliseconds(period.From), DateTimeOffset.FromUnixTimeMilliseconds(period.To), released.Count,
            Mean(released.Select(p => p.DevelopmentDays)), Mean(released.Select(p => p.RampUpDays)));
    }

    private static async Task<CycleLeadDto> LeadAsync(Session s)
    {
        var changes = await s.QueryAsync<(string Status, long RequestedAt, long? DecidedAt)>(
            "SELECT status, requested_at, decided_at FROM design_changes WHERE tenant_id = @Tenant", new { s.Tenant });
        var open = changes.Where(c => c.Status is "requested" or "approved").ToList();
        var ages = open.Select(c => (s.Now - c.RequestedAt) / DayMs).ToList();
        var turnaround = changes.Where(c => c.DecidedAt is not null).Select(c => (c.DecidedAt!.Value - c.RequestedAt) / 3_600_000.0).ToList();
        return new CycleLeadDto(open.Count(c => c.Status == "requested"), open.Count(c => c.Status == "approved"),
            ages.Count == 0 ? null : Round(ages.Average()), ages.Count == 0 ? null : Round(ages.Max()),
            turnaround.Count, turnaround.Count == 0 ? null : Round(turnaround.Average()));
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : Round(present.Average());
    }

    private static double Round(double value) => Math.Round(value, 3);

    private sealed class ProjectRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string? ProductFamily { get; set; }
        public long CreatedAt { get; set; }
        public long? IdeaId { get; set; }
        public long? IdeaAt { get; set; }
        public long? AcceptedAt { get; set; }
        public long? FirstRevisionAt { get; set; }
        public long? ManufacturedAt { get; set; }
        public long? FirstRunAt { get; set; }
        public long? FirstDoneAt { get; set; }

        // An interrupted run that made good units, or a finished job: whichever came first (either may be missing).
        private long? FirstGoodAt => FirstRunAt is { } r && FirstDoneAt is { } d ? Math.Min(r, d) : FirstRunAt ?? FirstDoneAt;

        public CycleProjectDto AsDto()
        {
            var start = IdeaAt ?? CreatedAt;
            return new CycleProjectDto(Id, Name, ProductFamily, IdeaId, At(IdeaAt), At(AcceptedAt), At(CreatedAt)!.Value, At(FirstRevisionAt), At(ManufacturedAt), At(FirstGoodAt),
                ManufacturedAt is { } m ? Round((m - start) / DayMs) : null,
                ManufacturedAt is { } r && FirstGoodAt is { } g ? Round((g - r) / DayMs) : null);
        }

        private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }
}
