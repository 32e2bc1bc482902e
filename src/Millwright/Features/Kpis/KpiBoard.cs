using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.States;

namespace Millwright.Features.Kpis;

/// <summary>
/// Every machine's own KPIs over one range, for a big screen that shows an OEE per tile: the same inputs and
/// formulas as <see cref="Kpis.ReportAsync"/>, one row per machine instead of one sum.
/// </summary>
internal static class KpiBoard
{
    /// <summary>A board is polled; a week bounds what one request reads.</summary>
    public const int MaxDays = 7;

    public static async Task<IReadOnlyList<MachineKpiDto>> MachinesAsync(Session s, MachineKpiQuery query)
    {
        if (query.Site is not null && query.Line is not null)
        {
            throw ApiProblem.Invalid("site", "give at most one of site or line");
        }

        if (query.Site is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        if (query.Line is { } line)
        {
            await Lines.Lines.GetAsync(s, line);
        }

        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, TimeSpan.FromDays(MaxDays));
        var machines = await s.QueryAsync<(long Id, long SiteId)>(
            """
            SELECT m.id, a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant AND (@Site IS NULL OR a.site_id = @Site) AND (@Line IS NULL OR m.line_id = @Line)
            ORDER BY m.id
            """,
            new { s.Tenant, query.Site, query.Line });
        var calendars = new Dictionary<long, SiteCalendar>();
        var result = new List<MachineKpiDto>(machines.Count);
        foreach (var (machineId, siteId) in machines)
        {
            if (!calendars.TryGetValue(siteId, out var calendar))
            {
                calendars[siteId] = calendar = await SiteCalendars.LoadAsync(s, siteId);
            }

            var rules = await StateRules.OfMachineAsync(s, machineId);
            var states = await MachineStates.IntervalsAsync(s, machineId, from, to);
            var counts = await Kpis.CountsAsync(s, machineId, from, to);
            var inputs = KpiCalculator.Inputs(calendar.PlannedFor(machineId, from, to), states, counts, rules, from, to, s.Now);
            result.Add(new MachineKpiDto(machineId, inputs, KpiCalculator.Compute(inputs)));
        }

        return result;
    }
}
