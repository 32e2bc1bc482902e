using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Inventory;
using Millwright.Features.Kpis;
using Millwright.Features.Production;

namespace Millwright.Features.Goals;

/// <summary>
/// The goals the platform exists for, current period against a baseline: each figure comes from the feature
/// that owns it (<see cref="KpiCalculator"/>, <see cref="InventoryMovements.Turnover"/>,
/// <see cref="ProductionKpis.GetAsync"/>), computed for the two periods and for every sparkline bucket.
/// </summary>
internal static class GoalBoard
{
    private const double YearMs = 365.0 * 24 * 3_600_000;

    public static async Task<GoalBoardDto> GetAsync(Session s, GoalBoardQuery query)
    {
        var history = await HistoryAsync(s);
        var (baseline, current) = GoalPeriods.Resolve(query, history, s.Now);
        var hull = GoalPeriods.Hull(baseline, current);
        var buckets = GoalPeriods.Buckets(hull);
        List<Interval> spans = [baseline, current, .. buckets];

        var (inputs, energy) = await MachineFigures.OfTenantAsync(s, spans, hull);
        var values = inputs.Select(KpiCalculator.Compute).ToArray();
        // The stock held before a span counts, so every movement up to the hull's end is read, once.
        var movements = await s.QueryAsync<MovementRow>(
            "SELECT id, item_id, site_id, kind, quantity, unit_cost, at, note, created_by FROM inventory_movements WHERE tenant_id = @Tenant AND at < @End ORDER BY at, id",
            new { s.Tenant, hull.End });
        var turnover = new double?[spans.Count];
        var production = new ProductionKpiDto[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var (issued, average) = InventoryMovements.Turnover(movements, spans[i].Start, spans[i].End);
            // Turnover over a period grows with its length; per year, a week's figure compares with a month's.
            turnover[i] = average > 0 ? issued / average * (YearMs / spans[i].Length) : null;
            production[i] = await ProductionKpis.GetAsync(s, new ProductionKpiQuery(new ZonedTime(spans[i].Start), new ZonedTime(spans[i].End), null));
        }

        GoalTileDto Tile(string key, string name, string unit, bool upIsGood, Func<int, double?> valueOf)
        {
            var (b, c) = (valueOf(0), valueOf(1));
            double? change = b is { } bv && c is { } cv && bv != 0 ? (cv - bv) / Math.Abs(bv) * 100 : null;
            bool? improved = change is { } d && d != 0 ? d > 0 == upIsGood : null;
            return new GoalTileDto(key, name, unit, upIsGood, b, c, change, improved,
                buckets.Select((bucket, i) => new GoalPointDto(At(bucket.Start), valueOf(i + 2))).ToList());
        }

        var tiles = new List<GoalTileDto>
        {
            Tile("productionEfficiency", "Production efficiency", "good units/h", true,
                i => inputs[i].Apt > 0 ? inputs[i].Gq / (inputs[i].Apt / 3600) : null),
            Tile("oee", "OEE", "1", true, i => values[i].Oee),
            Tile("energyPerGoodUnit", "Energy per good unit", "energy unit/good unit", false, i => values[i].EnergyPerGoodUnit),
            Tile("energyUtilization", "Energy utilization", "1", true,
                i => energy[i].Total > 0 ? energy[i].Running / energy[i].Total : null),
            Tile("inventoryTurnover", "Inventory turnover", "1/year", true, i => turnover[i]),
            Tile("leadTime", "Order lead time", "h", false, i => production[i].LeadTimeHours),
            Tile("onTimeDelivery", "On-time delivery", "1", true, i => production[i].OnTimeDelivery),
        };
        return new GoalBoardDto(Span(baseline), Span(current), history is { } h ? Span(h) : null,
            buckets.Count > 0 ? buckets[0].Length / 1000 : 0, tiles, await PolicyChangesAsync(s, hull));
    }

    /// <summary>From the first to the last instant the tenant has stored: states, counted minutes, movements, orders.</summary>
    private static async Task<Interval?> HistoryAsync(Session s)
    {
        var ranges = new[]
        {
            await s.QueryOneAsync<(long? First, long? Last)>(
                "SELECT MIN(start_at), MAX(COALESCE(end_at, start_at)) FROM machine_states WHERE tenant_id = @Tenant", new { s.Tenant }),
            // A counted minute lasts until its end.
            await s.QueryOneAsync<(long? First, long? Last)>(
                "SELECT MIN(bucket_at), MAX(bucket_at) + 59999 FROM production_counts WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.QueryOneAsync<(long? First, long? Last)>(
                "SELECT MIN(at), MAX(at) FROM inventory_movements WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.QueryOneAsync<(long? First, long? Last)>(
                "SELECT MIN(created_at), MAX(created_at) FROM orders WHERE tenant_id = @Tenant", new { s.Tenant }),
            await s.QueryOneAsync<(long? First, long? Last)>(
                "SELECT MIN(completed_at), MAX(completed_at) FROM orders WHERE tenant_id = @Tenant", new { s.Tenant }),
        };
        return GoalPeriods.History(ranges.Min(r => r.First), ranges.Max(r => r.Last));
    }

    /// <summary>Policy changes the tenant recorded inside the range (<see cref="History.PolicyChanges"/>), to mark on the sparklines.</summary>
    private static async Task<IReadOnlyList<PolicyChangeDto>> PolicyChangesAsync(Session s, Interval hull)
    {
        var rows = await s.QueryAsync<(long At, string Name, string? Description)>(
            "SELECT at, name, description FROM policy_changes WHERE tenant_id = @Tenant AND at >= @Start AND at < @End ORDER BY at",
            new { s.Tenant, hull.Start, hull.End });
        return rows.Select(r => new PolicyChangeDto(At(r.At), r.Name, r.Description)).ToList();
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static GoalSpanDto Span(Interval i) => new(At(i.Start), At(i.End));
}
