using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The <c>sharing_deliveries</c> and <c>sharing_invoices</c> tables: a delivery event is the provider's row, shown to
/// the buyer it names; an invoice-ready record is one side's own row and nobody else's.
/// </summary>
internal static partial class SharingStore
{
    private const string DeliveryColumns = "id, kind, quantity, reference, recorded_at";

    private const string InvoiceColumns =
        "id, bid_id, side, counterpart, title, quantity, good, scrap, quoted_hours, hours, price, amount, promised_at, completed_at, created_at";

    /// <summary>
    /// Locks an awarded bid's row for its provider, so that two delivery events of one job are checked against the
    /// totals one after the other (on PostgreSQL; SQLite serialises writers anyway). False when it is not the
    /// caller's awarded job as provider.
    /// </summary>
    public static async Task<bool> LockProvidedJobAsync(Session s, long bidId) =>
        await s.ExecuteAsync(
            "UPDATE sharing_bids SET status = status WHERE id = @bidId AND provider_tenant_id = @Tenant AND status = 'awarded'",
            new { s.Tenant, bidId }) == 1;

    /// <summary>A shared job's delivery events, for its provider or its buyer.</summary>
    public static Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(Session s, long bidId) =>
        s.QueryAsync<DeliveryRow>(
            $"SELECT {DeliveryColumns} FROM sharing_deliveries WHERE bid_id = @bidId AND (tenant_id = @Tenant OR buyer_tenant_id = @Tenant) ORDER BY id",
            new { s.Tenant, bidId });

    /// <summary>Parts shipped and delivered so far on a shared job, for its provider or its buyer.</summary>
    public static Task<(long Shipped, long Delivered)> DeliveredAsync(Session s, long bidId) =>
        s.QueryOneAsync<(long Shipped, long Delivered)>(
            """
            SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'shipped' THEN quantity ELSE 0 END), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN kind = 'delivered' THEN quantity ELSE 0 END), 0) AS BIGINT)
            FROM sharing_deliveries WHERE bid_id = @bidId AND (tenant_id = @Tenant OR buyer_tenant_id = @Tenant)
            """,
            new { s.Tenant, bidId });

    /// <summary>The provider records a delivery event of its job for the buyer.</summary>
    public static Task<long> InsertDeliveryAsync(Session s, long bidId, long buyer, string kind, long quantity, string? reference) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO sharing_deliveries (tenant_id, buyer_tenant_id, bid_id, kind, quantity, reference, recorded_at)
            VALUES (@Tenant, @buyer, @bidId, @kind, @quantity, @reference, @Now) RETURNING id
            """,
            new { s.Tenant, buyer, bidId, kind, quantity, reference, s.Now });

    /// <summary>The awarded bid whose provider order this is (the session's tenant provides it), if any.</summary>
    public static Task<BidRow?> BidOfProvidedOrderAsync(Session s, long orderId) =>
        s.QueryOneAsync<BidRow>(
            $"SELECT {BidColumns} FROM {BidFrom} WHERE b.provider_tenant_id = @Tenant AND b.order_id = @orderId AND b.status = 'awarded'",
            new { s.Tenant, orderId });

    /// <summary>One side's invoice-ready record; the unique key keeps it to one per side and job.</summary>
    public static Task InsertInvoiceAsync(Session s, InvoiceRow r) =>
        s.ExecuteAsync(
            """
            INSERT INTO sharing_invoices (tenant_id, bid_id, side, counterpart, title, quantity, good, scrap, quoted_hours, hours, price, amount,
                promised_at, completed_at, created_at)
            VALUES (@Tenant, @BidId, @Side, @Counterpart, @Title, @Quantity, @Good, @Scrap, @QuotedHours, @Hours, @Price, @Amount,
                @PromisedAt, @CompletedAt, @Now)
            """,
            new
            {
                s.Tenant, r.BidId, r.Side, r.Counterpart, r.Title, r.Quantity, r.Good, r.Scrap, r.QuotedHours, r.Hours, r.Price, r.Amount,
                r.PromisedAt, r.CompletedAt, s.Now,
            });

    public static Task<IReadOnlyList<InvoiceRow>> InvoicesAsync(Session s, long after, int limit) =>
        s.QueryAsync<InvoiceRow>(
            $"SELECT {InvoiceColumns} FROM sharing_invoices WHERE tenant_id = @Tenant AND id > @after ORDER BY id LIMIT @take",
            new { s.Tenant, after, take = limit + 1 });

    public static Task<InvoiceRow?> InvoiceAsync(Session s, long id) =>
        s.QueryOneAsync<InvoiceRow>($"SELECT {InvoiceColumns} FROM sharing_invoices WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });

    /// <summary>The caller's own record of a shared job, if the job is complete.</summary>
    public static Task<InvoiceRow?> InvoiceOfBidAsync(Session s, long bidId) =>
        s.QueryOneAsync<InvoiceRow>($"SELECT {InvoiceColumns} FROM sharing_invoices WHERE tenant_id = @Tenant AND bid_id = @bidId", new { s.Tenant, bidId });
}
