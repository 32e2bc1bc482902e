using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Sharing;

/// <summary>
/// Every SQL statement on the sharing tables, split by table. Most are scoped to the caller's tenant like any
/// other; the few that read across tenants say so in their name (<c>OfOthers</c>, <c>Market</c>) and return only
/// what docs/sharing.md lets the other side see.
/// </summary>
internal static partial class SharingStore
{
    private const string OfferColumns =
        "o.id, o.tenant_id, t.name AS provider, o.machine_id, m.name AS machine, o.site_id, o.processes, o.materials, o.envelope_x_mm, o.envelope_y_mm, " +
        "o.envelope_z_mm, o.tolerance_mm, o.certifications, o.hourly_rate, o.minimum_charge, o.transport_per_km, o.margin_percent, o.latitude, o.longitude, " +
        "o.horizon_days, o.reserve_minutes, o.status, o.created_at, o.cancelled_at";

    private const string OfferFrom =
        "sharing_offers o JOIN tenants t ON t.id = o.tenant_id JOIN machines m ON m.tenant_id = o.tenant_id AND m.id = o.machine_id";

    public static Task<IReadOnlyList<OfferRow>> OwnOffersAsync(Session s, long after, int limit) =>
        s.QueryAsync<OfferRow>($"SELECT {OfferColumns} FROM {OfferFrom} WHERE o.tenant_id = @Tenant AND o.id > @after ORDER BY o.id LIMIT @take",
            new { s.Tenant, after, take = limit + 1 });

    public static Task<OfferRow?> OwnOfferAsync(Session s, long id) =>
        s.QueryOneAsync<OfferRow>($"SELECT {OfferColumns} FROM {OfferFrom} WHERE o.tenant_id = @Tenant AND o.id = @id", new { s.Tenant, id });

    /// <summary>Across tenants: the active offers of every tenant but the caller's (a page of them when <paramref name="limit"/> is given).</summary>
    public static Task<IReadOnlyList<OfferRow>> MarketOffersAsync(Session s, long after = 0, int? limit = null) =>
        s.QueryAsync<OfferRow>(
            $"SELECT {OfferColumns} FROM {OfferFrom} WHERE o.status = 'active' AND o.tenant_id <> @Tenant AND o.id > @after ORDER BY o.id LIMIT @take",
            new { s.Tenant, after, take = (limit ?? int.MaxValue - 1) + 1 });

    /// <summary>Across tenants, by design: every provider's record on rated shared jobs (docs/sharing.md, "Record").</summary>
    public static async Task<Dictionary<long, ProviderRecord>> RecordsAsync(Session s)
    {
        var rows = await s.QueryAsync<(long Provider, long Rated, long OnTime, long Passed)>(
            "SELECT provider_tenant_id, COUNT(*), CAST(COALESCE(SUM(on_time), 0) AS BIGINT), CAST(COALESCE(SUM(quality_passed), 0) AS BIGINT) FROM sharing_bids WHERE rated_at IS NOT NULL GROUP BY provider_tenant_id");
        return rows.ToDictionary(r => r.Provider, r => new ProviderRecord(r.Rated, r.OnTime, r.Passed));
    }

    public const string ActiveOffersCount = "SELECT COUNT(*) FROM sharing_offers WHERE tenant_id = @Tenant AND status = 'active'";

    public static Task<long> InsertOfferAsync(Session s, long machineId, long siteId, OfferTerms terms) =>
        s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO sharing_offers (tenant_id, machine_id, site_id, processes, materials, envelope_x_mm, envelope_y_mm, envelope_z_mm, tolerance_mm,
                    certifications, hourly_rate, minimum_charge, transport_per_km, margin_percent, latitude, longitude, horizon_days, reserve_minutes, status, created_at)
                VALUES (@Tenant, @machineId, @siteId, @Processes, @Materials, @X, @Y, @Z, @ToleranceMm, @Certifications, @HourlyRate, @MinimumCharge,
                    @TransportPerKm, @MarginPercent, @Latitude, @Longitude, @HorizonDays, @ReserveMinutes, 'active', @Now) RETURNING id
                """,
                new
                {
                    s.Tenant, machineId, siteId, Processes = SharingJson.Write(terms.Processes), Materials = SharingJson.Write(terms.Materials),
                    terms.Envelope.X, terms.Envelope.Y, terms.Envelope.Z, terms.ToleranceMm, Certifications = SharingJson.Write(terms.Certifications),
                    terms.HourlyRate, terms.MinimumCharge, terms.TransportPerKm, terms.MarginPercent, terms.Latitude, terms.Longitude, terms.HorizonDays,
                    terms.ReserveMinutes, s.Now,
                }),
            $"Machine {machineId} already has an active offer; cancel it first.");

    public static Task<int> CancelOfferAsync(Session s, long id) =>
        s.ExecuteAsync("UPDATE sharing_offers SET status = 'cancelled', cancelled_at = @Now WHERE tenant_id = @Tenant AND id = @id AND status = 'active'",
            new { s.Tenant, id, s.Now });

    /// <summary>
    /// Locks the provider's active offer for an award (a no-op write: the same SQL takes the row lock on PostgreSQL,
    /// and SQLite writers are serialised already), so that concurrent awards on one machine run one after the other.
    /// Returns false when the offer is no longer active.
    /// </summary>
    public static async Task<bool> LockOfferAsync(Session ps, long id) =>
        await ps.ExecuteAsync("UPDATE sharing_offers SET awards = awards + 1 WHERE tenant_id = @Tenant AND id = @id AND status = 'active'", new { ps.Tenant, id }) == 1;

    /// <summary>Machine time the provider's awards hold on the machine from <paramref name="from"/> on.</summary>
    public static async Task<List<Interval>> BookingsAsync(Session ps, long machineId, long from) =>
        (await ps.QueryAsync<(long Start, long End)>(
            "SELECT start_at, end_at FROM sharing_bookings WHERE tenant_id = @Tenant AND machine_id = @machineId AND end_at > @from ORDER BY start_at",
            new { ps.Tenant, machineId, from })).Select(b => new Interval(b.Start, b.End)).ToList();

    public static Task InsertBookingAsync(Session ps, long offerId, long machineId, long bidId, Interval window) =>
        ps.ExecuteAsync(
            "INSERT INTO sharing_bookings (tenant_id, offer_id, machine_id, bid_id, start_at, end_at) VALUES (@Tenant, @offerId, @machineId, @bidId, @Start, @End)",
            new { ps.Tenant, offerId, machineId, bidId, window.Start, window.End });
}
