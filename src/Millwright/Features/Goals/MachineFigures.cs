using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Kpis;
using Millwright.Features.States;

namespace Millwright.Features.Goals;

/// <summary>
/// The tenant's machine figures per span: the ISO 22400 inputs summed over every machine (by
/// <see cref="KpiCalculator.Inputs"/>, as the KPI report sums a site), and the energy split by
/// <see cref="EnergyUse"/>. Each machine's intervals and minutes are read once for the hull of all spans. Only
/// machines that count units (a part counter in their state rules) are production equipment for these goals:
/// an excavator's running hours would lower efficiency and leave OEE without an ideal cycle.
/// </summary>
internal static class MachineFigures
{
    public static async Task<(KpiInputs[] Inputs, (double Running, double Total)[] Energy)> OfTenantAsync(Session s, IReadOnlyList<Interval> spans, Interval hull)
    {
        var inputs = spans.Select(_ => KpiInputs.Zero).ToArray();
        var energy = new (double Running, double Total)[spans.Count];
        var machines = await s.QueryAsync<(long Id, long SiteId)>(
            """
            SELECT m.id, a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant ORDER BY m.id
            """,
            new { s.Tenant });
        var calendars = new Dictionary<long, SiteCalendar>();
        foreach (var (machineId, siteId) in machines)
        {
            if (!calendars.TryGetValue(siteId, out var calendar))
            {
                calendars[siteId] = calendar = await SiteCalendars.LoadAsync(s, siteId);
            }

            var rules = await StateRules.OfMachineAsync(s, machineId);
            if (rules.PartCounter is null)
            {
                continue;
            }

            var states = await MachineStates.IntervalsAsync(s, machineId, hull.Start, hull.End);
            var counts = (await Kpis.Kpis.CountsAsync(s, machineId, hull.Start, hull.End)).ToArray();
            for (var i = 0; i < spans.Count; i++)
            {
                var span = spans[i];
                var minutes = Slice(counts, span);
                inputs[i] += KpiCalculator.Inputs(calendar.PlannedFor(machineId, span.Start, span.End), states, minutes, rules, span.Start, span.End, s.Now);
                var (running, total) = EnergyUse.Split(states, minutes, s.Now);
                energy[i] = (energy[i].Running + running, energy[i].Total + total);
            }
        }

        return (inputs, energy);
    }

    /// <summary>The minutes that start in the span; a view by binary search, so many buckets over a long hull stay linear.</summary>
    private static ArraySegment<CountBucket> Slice(CountBucket[] counts, Interval span)
    {
        var first = LowerBound(counts, span.Start);
        var end = LowerBound(counts, span.End);
        return new ArraySegment<CountBucket>(counts, first, end - first);
    }

    private static int LowerBound(CountBucket[] counts, long at)
    {
        int lo = 0, hi = counts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (counts[mid].BucketAt < at)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
