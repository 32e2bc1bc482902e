using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>The <c>sharing_bids</c> table: a bid is visible to its buyer (tenant_id) and its provider (provider_tenant_id), nobody else.</summary>
internal static partial class SharingStore
{
    private const string BidColumns =
        "b.id, b.tenant_id, bt.name AS buyer, b.request_id, b.provider_tenant_id, pt.name AS provider, b.offer_id, b.price, b.hours, b.confidence, " +
        "b.distance_km, b.windows, b.start_at, b.end_at, b.delivery_at, b.breakdown, b.respond_by, b.status, b.counter_price, b.note, b.responded_at, " +
        "b.awarded_at, b.order_id, b.rating, b.quality_passed, b.on_time, b.created_at, b.split_id, b.leg";

    private const string BidFrom = "sharing_bids b JOIN tenants bt ON bt.id = b.tenant_id JOIN tenants pt ON pt.id = b.provider_tenant_id";

    /// <summary>A bid the caller is a party to, as buyer or provider.</summary>
    public static Task<BidRow?> BidAsync(Session s, long id) =>
        s.QueryOneAsync<BidRow>($"SELECT {BidColumns} FROM {BidFrom} WHERE b.id = @id AND (b.tenant_id = @Tenant OR b.provider_tenant_id = @Tenant)",
            new { s.Tenant, id });

    /// <summary>The caller's bids as buyer or as provider; <paramref name="awarded"/> keeps only the shared jobs.</summary>
    public static Task<IReadOnlyList<BidRow>> BidsAsync(Session s, bool asProvider, bool awarded, long after, int limit) =>
        s.QueryAsync<BidRow>(
            $"""
            SELECT {BidColumns} FROM {BidFrom}
            WHERE {(asProvider ? "b.provider_tenant_id" : "b.tenant_id")} = @Tenant AND b.id > @after {(awarded ? "AND b.status = 'awarded'" : "")}
            ORDER BY b.id LIMIT @take
            """,
            new { s.Tenant, after, take = limit + 1 });

    /// <summary>A bid to one offer: for the whole request, or (<paramref name="splitId"/>, <paramref name="leg"/>) for one step of a split plan.</summary>
    public static Task<long> InsertBidAsync(Session s, long requestId, long provider, long offerId, Quote q, long respondBy, long? splitId = null, int? leg = null) =>
        s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO sharing_bids (tenant_id, request_id, provider_tenant_id, offer_id, price, hours, confidence, distance_km, windows, start_at, end_at,
                    delivery_at, breakdown, respond_by, status, created_at, split_id, leg)
                VALUES (@Tenant, @requestId, @provider, @offerId, @Price, @Hours, @Confidence, @DistanceKm, @windows, @StartAt, @EndAt, @DeliveryAt, @breakdown,
                    @respondBy, 'pending', @Now, @splitId, @leg) RETURNING id
                """,
                new
                {
                    s.Tenant, requestId, provider, offerId, q.Price, q.Hours, q.Confidence, q.DistanceKm, windows = SharingJson.WriteWindows(q.Windows),
                    q.StartAt, q.EndAt, q.DeliveryAt, breakdown = SharingJson.Write(q.Breakdown), respondBy, s.Now, splitId, leg,
                }),
            $"Request {requestId} already asked offer {offerId} for a quote.");

    /// <summary>The provider's answer to a pending bid before its deadline; false when it was no longer pending or the deadline passed.</summary>
    public static async Task<bool> AnswerBidAsync(Session s, long id, string status, double? counterPrice, string? note) =>
        await s.ExecuteAsync(
            """
            UPDATE sharing_bids SET status = @status, counter_price = @counterPrice, note = @note, responded_at = @Now
            WHERE id = @id AND provider_tenant_id = @Tenant AND status = 'pending' AND respond_by > @Now
            """,
            new { s.Tenant, id, status, counterPrice, note, s.Now }) == 1;

    /// <summary>Marks the buyer's answered bid awarded with the provider's order; the unique index refuses a second award of the request.</summary>
    public static async Task<bool> AwardBidAsync(Session s, long id, long orderId) =>
        await s.GuardAsync(
            () => s.ExecuteAsync(
                "UPDATE sharing_bids SET status = 'awarded', awarded_at = @Now, order_id = @orderId WHERE tenant_id = @Tenant AND id = @id AND status IN ('accepted', 'countered')",
                new { s.Tenant, id, orderId, s.Now }),
            "The request was awarded meanwhile.") == 1;

    /// <summary>Closes the request's other bids that are still open.</summary>
    public static Task CloseOtherBidsAsync(Session s, long requestId, long except) =>
        s.ExecuteAsync(
            "UPDATE sharing_bids SET status = 'closed' WHERE tenant_id = @Tenant AND request_id = @requestId AND id <> @except AND status IN ('pending', 'accepted', 'countered')",
            new { s.Tenant, requestId, except });

    /// <summary>The buyer's rating of its awarded job, once: false when it was rated meanwhile (a concurrent rating).</summary>
    public static async Task<bool> RateBidAsync(Session s, long id, int rating, bool qualityPassed, bool onTime) =>
        await s.ExecuteAsync(
            "UPDATE sharing_bids SET rating = @rating, quality_passed = @passed, on_time = @late, rated_at = @Now " +
            "WHERE tenant_id = @Tenant AND id = @id AND status = 'awarded' AND rated_at IS NULL",
            new { s.Tenant, id, rating, passed = qualityPassed ? 1 : 0, late = onTime ? 1 : 0, s.Now }) == 1;
}
