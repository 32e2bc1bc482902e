using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>The ERP's reference on <c>orders</c> (migration 0027): finding, marking and amending orders an ERP sent.</summary>
internal static partial class ProductionStore
{
    public static Task<OrderRow?> OrderByErpNumberAsync(Session s, string erpNumber) =>
        s.QueryOneAsync<OrderRow>($"SELECT {OrderColumns} FROM {OrderFrom} WHERE o.tenant_id = @Tenant AND o.erp_number = @erpNumber", new { s.Tenant, erpNumber });

    public static Task MarkErpOrderAsync(Session s, long id, string erpNumber) =>
        s.ExecuteAsync("UPDATE orders SET erp_number = @erpNumber WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, erpNumber });

    /// <summary>
    /// New terms for an order no machine has started: quantity (its jobs' too), due date and priority. Only a
    /// planned or released order changes; returns false when it had moved on meanwhile.
    /// </summary>
    public static async Task<bool> AmendOrderAsync(Session s, long id, long quantity, long dueAt, int priority)
    {
        var changed = await s.ExecuteAsync(
            $"UPDATE orders SET quantity = @quantity, due_at = @dueAt, priority = @priority WHERE tenant_id = @Tenant AND id = @id AND status IN ({Planned}, {Released})",
            new { s.Tenant, id, quantity, dueAt, priority });
        if (changed == 0)
        {
            return false;
        }

        await s.ExecuteAsync("UPDATE jobs SET quantity = @quantity WHERE tenant_id = @Tenant AND order_id = @id", new { s.Tenant, id, quantity });
        return true;
    }
}
