using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Tailoring;

/// <summary>
/// The made-to-measure lead time (docs/made-to-measure.md, "Lead time"): from release to completion, as production's
/// own lead time, for orders completed in [from, to), customized (a made-to-measure garment) beside standard (orders
/// with no customization at all), so a maker sees what one-piece made-to-measure costs in time.
/// </summary>
internal static class TailoringKpis
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    internal sealed record LeadTime(int Orders, double? AverageHours, double? MaxHours);

    internal sealed record KpisDto(DateTimeOffset From, DateTimeOffset To, LeadTime Customized, LeadTime Standard, double? Ratio);

    public static async Task<KpisDto> GetAsync(Session s, string? from, string? to)
    {
        var range = TimeRange.Parse(from, to, TimeSpan.FromDays(7), MaxRange, s.Now);
        var rows = await s.QueryAsync<(long Lead, long Customized)>(
            $"""
            SELECT o.completed_at - o.released_at, CASE WHEN t.order_id IS NULL THEN 0 ELSE 1 END FROM orders o
            LEFT JOIN tailoring_orders t ON t.tenant_id = o.tenant_id AND t.order_id = o.id
            WHERE o.tenant_id = @Tenant AND o.status = '{OrderStatus.Completed}' AND o.completed_at >= @from AND o.completed_at < @to
              AND o.released_at IS NOT NULL AND (t.order_id IS NOT NULL OR o.customization IS NULL)
            """,
            new { s.Tenant, from = range.From, to = range.To });
        var customized = Of(rows.Where(r => r.Customized == 1).Select(r => r.Lead).ToList());
        var standard = Of(rows.Where(r => r.Customized == 0).Select(r => r.Lead).ToList());
        double? ratio = customized.AverageHours is { } c && standard.AverageHours is { } st && st > 0 ? Math.Round(c / st, 3) : null;
        return new KpisDto(DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To), customized, standard, ratio);
    }

    private static LeadTime Of(List<long> leads) => new(
        leads.Count,
        leads.Count > 0 ? Math.Round(leads.Average() / 3_600_000.0, 4) : null,
        leads.Count > 0 ? Math.Round(leads.Max() / 3_600_000.0, 4) : null);
}
