using Millwright.Api;
using Millwright.Features.MachineTypes;

namespace Millwright.Features.Inventory;

/// <summary>Inventory items: what is kept in stock, its unit and standard cost.</summary>
internal static class InventoryItems
{
    private const string Columns = "id, sku, name, unit, unit_cost, created_at, updated_at";

    public static readonly CrudOperations<ItemInput, ItemDto, ItemQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<ItemDto>> ListAsync(Session s, ItemQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<ItemRow>(
            $"""
            SELECT {Columns} FROM inventory_items
            WHERE tenant_id = @Tenant AND id > @After AND (@Sku IS NULL OR lower(sku) LIKE @Sku ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, Sku = PageRequest.Contains(query.Sku), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<ItemDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<ItemRow>($"SELECT {Columns} FROM inventory_items WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("inventory item", id);

    public static async Task<ItemDto> CreateAsync(Session s, ItemInput input)
    {
        var item = Validate(input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO inventory_items (tenant_id, sku, name, unit, unit_cost, created_at, updated_at)
                VALUES (@Tenant, @Sku, @Name, @Unit, @UnitCost, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, item.Sku, item.Name, item.Unit, item.UnitCost, s.Now }),
            $"An item with SKU '{item.Sku}' already exists.");
        await s.AuditAsync("create", "inventory_item", id, $"created inventory item '{item.Sku}'");
        return await GetAsync(s, id);
    }

    /// <summary>A new unit cost applies to later movements; recorded ones keep the cost they were valued at.</summary>
    public static async Task<ItemDto> UpdateAsync(Session s, long id, ItemInput input)
    {
        var item = Validate(input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                "UPDATE inventory_items SET sku = @Sku, name = @Name, unit = @Unit, unit_cost = @UnitCost, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, id, item.Sku, item.Name, item.Unit, item.UnitCost, s.Now }),
            $"An item with SKU '{item.Sku}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("inventory item", id);
        }

        await s.AuditAsync("update", "inventory_item", id, $"updated inventory item '{item.Sku}'");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var item = await GetAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync("DELETE FROM inventory_items WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"Inventory item {id} has movements; its history cannot be deleted.");
        await s.AuditAsync("delete", "inventory_item", id, $"deleted inventory item '{item.Sku}'");
    }

    private static ItemInput Validate(ItemInput input)
    {
        var v = new Validator();
        var sku = v.Name("sku", input.Sku);
        var name = v.Name("name", input.Name);
        var unit = input.Unit ?? "count";
        if (!Units.Known.Contains(unit))
        {
            v.Add("unit", $"'{unit}' is not a known unit symbol (for example count, kg, m, l)");
        }

        if (input.UnitCost is not { } cost || !double.IsFinite(cost) || cost < 0)
        {
            v.Add("unitCost", "is required and must be zero or more");
        }

        v.ThrowIfInvalid();
        return new ItemInput(sku, name, unit, input.UnitCost);
    }
}
