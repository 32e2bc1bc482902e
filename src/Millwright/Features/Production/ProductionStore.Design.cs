using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>Items a released design makes or consumes (issue 18, Features/Design's release to manufacturing).</summary>
internal static partial class ProductionStore
{
    /// <summary>
    /// The item with <paramref name="sku"/>: created (standard cost 0 until costed) or, when it exists, renamed to what the
    /// released revision calls it (its unit and cost are left as they are: stock was valued at them).
    /// </summary>
    public static async Task<(long Id, bool Created)> EnsureItemAsync(Session s, string sku, string name, string unit)
    {
        var id = await s.QueryOneAsync<long?>("SELECT id FROM inventory_items WHERE tenant_id = @Tenant AND sku = @sku", new { s.Tenant, sku });
        if (id is { } existing)
        {
            await s.ExecuteAsync(
                "UPDATE inventory_items SET name = @name, updated_at = @Now WHERE tenant_id = @Tenant AND id = @existing AND name <> @name",
                new { s.Tenant, existing, name, s.Now });
            return (existing, false);
        }

        var created = await s.ScalarAsync<long>(
            """
            INSERT INTO inventory_items (tenant_id, sku, name, unit, unit_cost, created_at, updated_at)
            VALUES (@Tenant, @sku, @name, @unit, 0, @Now, @Now) RETURNING id
            """,
            new { s.Tenant, sku, name, unit, s.Now });
        await s.AuditAsync("create", "inventory_item", created, $"created inventory item '{sku}' from a released design");
        return (created, true);
    }
}
