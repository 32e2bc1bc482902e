using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.States;

namespace Millwright.Features.Kpis;

/// <summary>KPI reports for a machine, line or site: loads states, counts, rules and calendars, then sums per period.</summary>
internal static class Kpis
{
    public static async Task<KpiReport> ReportAsync(Session s, KpiQuery query)
    {
        var scopes = new[] { query.Machine, query.Line, query.Site }.Count(x => x is not null);
        if (scopes != 1)
        {
            throw ApiProblem.Invalid("machine", "give exactly one of machine, line or site");
        }

        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, MachineStates.MaxRange);
        var (scope, id) = query switch
        {
            { Machine: { } m } => ("machine", m),
            { Line: { } l } => ("line", l),
            _ => ("site", query.Site!.Value),
        };
        var machines = await MachinesOfAsync(s, scope, id);
        if (machines.Count == 0 && scope == "machine")
        {
            throw ApiProblem.NotFound("machine", id);
        }

        var siteId = scope == "site" ? id : machines.Count > 0 ? machines[0].SiteId : await SiteOfLineAsync(s, id);
        var calendar = await SiteCalendars.LoadAsync(s, siteId);
        var periods = KpiPeriods.Split(calendar, from, to, query.Period);
        var totals = periods.Select(_ => KpiInputs.Zero).ToArray();
        foreach (var (machineId, _) in machines)
        {
            var rules = await StateRules.OfMachineAsync(s, machineId);
            var states = await MachineStates.IntervalsAsync(s, machineId, from, to);
            var counts = await CountsAsync(s, machineId, from, to);
            for (var p = 0; p < periods.Count; p++)
            {
                var span = periods[p].Span;
                var planned = calendar.PlannedFor(machineId, span.Start, span.End);
                totals[p] += KpiCalculator.Inputs(planned, states, counts, rules, span.Start, span.End, s.Now);
            }
        }

        return new KpiReport(scope, id, machines.Select(m => m.Id).ToList(), query.Period,
            periods.Select((p, i) => new KpiPeriod(DateTimeOffset.FromUnixTimeMilliseconds(p.Span.Start), DateTimeOffset.FromUnixTimeMilliseconds(p.Span.End),
                p.Label, totals[i], KpiCalculator.Compute(totals[i]))).ToList());
    }

    private static async Task<IReadOnlyList<(long Id, long SiteId)>> MachinesOfAsync(Session s, string scope, long id)
    {
        if (scope == "line")
        {
            await Lines.Lines.GetAsync(s, id);
        }
        else if (scope == "site")
        {
            await Sites.Sites.GetAsync(s, id);
        }

        return await s.QueryAsync<(long Id, long SiteId)>(
            $"""
            SELECT m.id, a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant AND {(scope == "machine" ? "m.id" : scope == "line" ? "m.line_id" : "a.site_id")} = @id
            ORDER BY m.id
            """,
            new { s.Tenant, id });
    }

    private static Task<long> SiteOfLineAsync(Session s, long lineId) =>
        s.ScalarAsync<long>(
            "SELECT a.site_id FROM lines l JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE l.tenant_id = @Tenant AND l.id = @lineId",
            new { s.Tenant, lineId });

    internal static Task<IReadOnlyList<CountBucket>> CountsAsync(Session s, long machineId, long from, long to) =>
        s.QueryAsync<CountBucket>(
            """
            SELECT bucket_at AS BucketAt, program AS Program, produced AS Produced, scrap AS Scrap, energy AS Energy
            FROM production_counts WHERE tenant_id = @Tenant AND machine_id = @machineId AND bucket_at >= @from AND bucket_at < @to
            ORDER BY bucket_at
            """,
            new { s.Tenant, machineId, from, to });
}
