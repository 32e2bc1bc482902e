using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The <c>sharing_splits</c> table and the bids that are a split plan's legs: a split is the buyer's row, seen by
/// the buyer only; each leg's provider sees its own bid and nothing of the split or the other legs.
/// </summary>
internal static partial class SharingStore
{
    public static Task<long> InsertSplitAsync(Session s, long requestId, int legs, long deliveryAt, double price) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO sharing_splits (tenant_id, request_id, legs, delivery_at, price, created_at)
            VALUES (@Tenant, @requestId, @legs, @deliveryAt, @price, @Now) RETURNING id
            """,
            new { s.Tenant, requestId, legs, deliveryAt, price, s.Now });

    public static Task<SplitRow?> OwnSplitAsync(Session s, long id) =>
        s.QueryOneAsync<SplitRow>(
            "SELECT id, tenant_id, request_id, legs, delivery_at, price, created_at FROM sharing_splits WHERE tenant_id = @Tenant AND id = @id",
            new { s.Tenant, id });

    /// <summary>The buyer's bids that are the split's legs, in step order.</summary>
    public static Task<IReadOnlyList<BidRow>> LegsAsync(Session s, long splitId) =>
        s.QueryAsync<BidRow>($"SELECT {BidColumns} FROM {BidFrom} WHERE b.tenant_id = @Tenant AND b.split_id = @splitId ORDER BY b.leg", new { s.Tenant, splitId });

    /// <summary>Closes the live legs of the request's earlier split plans: a new plan replaces them.</summary>
    public static Task CloseLiveLegsAsync(Session s, long requestId) =>
        s.ExecuteAsync(
            "UPDATE sharing_bids SET status = 'closed' WHERE tenant_id = @Tenant AND request_id = @requestId AND split_id IS NOT NULL AND status IN ('pending', 'accepted', 'countered')",
            new { s.Tenant, requestId });

    /// <summary>Closes the request's open bids that are not legs of the awarded split.</summary>
    public static Task CloseBidsOutsideSplitAsync(Session s, long requestId, long splitId) =>
        s.ExecuteAsync(
            """
            UPDATE sharing_bids SET status = 'closed'
            WHERE tenant_id = @Tenant AND request_id = @requestId AND (split_id IS NULL OR split_id <> @splitId) AND status IN ('pending', 'accepted', 'countered')
            """,
            new { s.Tenant, requestId, splitId });
}
