using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Features.Telemetry;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Embroidery;

/// <summary>
/// The embroidery KPIs over [from, to) (docs/embroidery.md, "KPIs"): per machine that reports <c>stitch_count</c>,
/// stitches per running hour per head (the machine's stitch counter counts every head's stitches, so it is divided
/// by the heads of its set-up, one when it has none) and thread breaks per million stitches, from the counters'
/// increases; the same over all those machines (<see cref="TotalsKpi"/>, for the dashboard's tiles); and the customized orders' lead time from the
/// design's upload to the order's completion, for design orders completed in the window.
/// </summary>
internal static class EmbroideryKpis
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    internal sealed record MachineKpi(long MachineId, string Machine, int Heads, long Stitches, long ThreadBreaks, double RunningHours, double? StitchesPerHourPerHead, double? BreaksPerMillionStitches);

    /// <summary>All machines together: stitches over head-hours (each machine's running hours times its heads).</summary>
    internal sealed record TotalsKpi(long Stitches, long ThreadBreaks, double HeadHours, double? StitchesPerHourPerHead, double? BreaksPerMillionStitches);

    internal sealed record LeadTimeKpi(int Orders, double? AverageHours, double? MaxHours);

    internal sealed record KpisDto(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MachineKpi> Machines, TotalsKpi Totals, LeadTimeKpi LeadTime);

    public static async Task<KpisDto> GetAsync(Session s, string? from, string? to, TelemetryStorage storage, CancellationToken ct)
    {
        var range = TimeRange.Parse(from, to, TimeSpan.FromDays(7), MaxRange, s.Now);
        var machines = await s.QueryAsync<(long Id, string Name)>("SELECT id, name FROM machines WHERE tenant_id = @Tenant ORDER BY id", new { s.Tenant });
        var heads = (await EmbroideryStore.SetupsAsync(s)).ToDictionary(m => m.MachineId, m => m.Heads);
        var result = new List<MachineKpi>();
        var headHours = 0.0;
        foreach (var (id, name) in machines)
        {
            if (storage.Store.FindSeries(new SeriesKey(s.Tenant, id, "stitch_count")) is null)
            {
                continue;
            }

            var stitches = (long)await IncreaseAsync(storage, new SeriesKey(s.Tenant, id, "stitch_count"), range, ct);
            var breaks = (long)await IncreaseAsync(storage, new SeriesKey(s.Tenant, id, "thread_breaks"), range, ct);
            var spells = await s.QueryAsync<(long Start, long? End)>(
                "SELECT start_at, end_at FROM machine_states WHERE tenant_id = @Tenant AND machine_id = @id AND state = 'running' AND start_at < @to AND (end_at IS NULL OR end_at > @from)",
                new { s.Tenant, id, from = range.From, to = range.To });
            var runningMs = spells.Sum(p => Math.Max(0, Math.Min(p.End ?? s.Now, range.To) - Math.Max(p.Start, range.From)));
            var hours = runningMs / 3_600_000.0;
            var h = heads.GetValueOrDefault(id, 1);
            headHours += hours * h;
            result.Add(new MachineKpi(id, name, h, stitches, breaks, Math.Round(hours, 3),
                hours > 0 ? Math.Round(stitches / hours / h, 1) : null, stitches > 0 ? Math.Round(breaks * 1_000_000.0 / stitches, 2) : null));
        }

        var leads = await s.QueryAsync<long>(
            $"""
            SELECT o.completed_at - d.created_at FROM embroidery_orders e
            JOIN orders o ON o.tenant_id = e.tenant_id AND o.id = e.order_id
            JOIN embroidery_designs d ON d.tenant_id = e.tenant_id AND d.id = e.design_id
            WHERE e.tenant_id = @Tenant AND o.status = '{OrderStatus.Completed}' AND o.completed_at >= @from AND o.completed_at < @to
            """,
            new { s.Tenant, from = range.From, to = range.To });
        var lead = new LeadTimeKpi(leads.Count, leads.Count > 0 ? Math.Round(leads.Average() / 3_600_000.0, 3) : null, leads.Count > 0 ? Math.Round(leads.Max() / 3_600_000.0, 3) : null);
        var (allStitches, allBreaks) = (result.Sum(m => m.Stitches), result.Sum(m => m.ThreadBreaks));
        var totals = new TotalsKpi(allStitches, allBreaks, Math.Round(headHours, 3), headHours > 0 ? Math.Round(allStitches / headHours, 1) : null,
            allStitches > 0 ? Math.Round(allBreaks * 1_000_000.0 / allStitches, 2) : null);
        return new KpisDto(DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To), result, totals, lead);
    }

    /// <summary>A counter's increase over the range: the sum of its buckets' increases (resets handled by the store).</summary>
    private static async Task<double> IncreaseAsync(TelemetryStorage storage, SeriesKey key, TimeRange range, CancellationToken ct)
    {
        if (storage.Store.FindSeries(key) is null)
        {
            return 0;
        }

        var buckets = await storage.Store.AggregateAsync(key, range.From, range.To, range.Length, ct);
        return buckets.Sum(b => b.Increase ?? 0);
    }
}
