using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>What one machine is committed to and what it achieved: read by features that sell its idle time.</summary>
internal static partial class ProductionStore
{
    /// <summary>
    /// The machine time the plan holds from <paramref name="from"/> on: every waiting job planned onto the machine
    /// and the job it holds (to its planned end, or its committed end, or an hour from now when neither is known).
    /// </summary>
    public static async Task<List<Interval>> MachineCommitmentsAsync(Session s, long machineId, long from)
    {
        var rows = await s.QueryAsync<(long? Start, long? End, long? Committed, long? Dispatched)>(
            $"""
            SELECT planned_start, planned_end, committed_end, dispatched_at FROM jobs
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND status IN ({Waiting}, {Dispatched}, {Running})
            AND (planned_end IS NULL OR planned_end > @from OR status IN {Held})
            """,
            new { s.Tenant, machineId, from });
        var hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
        var busy = new List<Interval>();
        foreach (var row in rows)
        {
            var start = row.Start ?? row.Dispatched ?? from;
            var end = Math.Max(row.End ?? row.Committed ?? (from + hour), from + (row.Start is null ? hour : 0));
            if (end > start)
            {
                busy.Add(new Interval(start, end));
            }
        }

        return busy;
    }

    /// <summary>
    /// The machine's unit time per capability over its last <paramref name="perCapability"/> finished jobs (median of
    /// (end − start − planned setup) ÷ units made), in seconds, with how many jobs it rests on.
    /// </summary>
    public static async Task<Dictionary<string, (double UnitSeconds, int Samples)>> MachineCycleTimesAsync(Session s, long machineId, int perCapability = 20)
    {
        var rows = await s.QueryAsync<(string Capability, long Started, long Ended, long Setup, long Units)>(
            $"""
            SELECT capability, started_at, ended_at, COALESCE(planned_setup_ms, setup_ms), good + scrap FROM jobs
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND status = {Done} AND started_at IS NOT NULL AND ended_at IS NOT NULL AND good + scrap > 0
            ORDER BY ended_at DESC
            """,
            new { s.Tenant, machineId });
        return rows.GroupBy(r => r.Capability, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key.ToLowerInvariant(), g =>
            {
                var units = g.Take(perCapability).Select(r => Math.Max(1, r.Ended - r.Started - r.Setup) / 1000.0 / r.Units).Order().ToList();
                var median = units.Count % 2 == 1 ? units[units.Count / 2] : (units[(units.Count / 2) - 1] + units[units.Count / 2]) / 2;
                return (median, units.Count);
            }, StringComparer.Ordinal);
    }
}
