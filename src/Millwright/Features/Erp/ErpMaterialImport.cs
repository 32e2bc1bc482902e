using Millwright.Api;
using Millwright.Features.Inventory;
using Millwright.Features.MachineTypes;
using Millwright.Scheduling.Erp;

namespace Millwright.Features.Erp;

/// <summary>
/// Applies the ERP's material master data to the tenant's inventory items, in the caller's one transaction,
/// idempotent on the material ID (the item's SKU): a new ID becomes an item (through
/// <see cref="InventoryItems.CreateAsync"/>, so it gets the same checks as one entered by hand), a known one takes
/// the document's description, unit, cost and classes, and an item that has stock movements keeps its unit (its
/// history is counted in it). A unit Millwright does not know refuses the whole document at its element.
/// </summary>
internal static class ErpMaterialImport
{
    public const string DefaultUnit = "count";

    public static async Task<ErpMaterialResult> ImportAsync(Session s, IReadOnlyList<ErpMaterial> materials)
    {
        var items = (await ListAsync(s)).ToDictionary(m => m.Material.Id, StringComparer.Ordinal);
        var rows = new List<ErpMaterialRow>(materials.Count);
        foreach (var wanted in materials)
        {
            var line = wanted.Places["ID"].Line;
            if (wanted.Unit is { } unit && !Units.Known.Contains(unit))
            {
                throw B2mmlFault.At(wanted.Places[B2mmlMaterials.UnitProperty], $"'{unit}' is not a unit Millwright knows (for example count, kg, m, l)");
            }

            if (!items.TryGetValue(wanted.Id, out var known))
            {
                var created = await WriteAsync(s, wanted, () => InventoryItems.CreateAsync(s, Input(wanted, DefaultUnit, 0)));
                await SetClassesAsync(s, created.Id, wanted.Classes);
                rows.Add(new ErpMaterialRow(line, wanted.Id, created.Id, ErpOutcome.Created, null));
                continue;
            }

            var current = known.Material;
            var next = wanted with { Unit = wanted.Unit ?? current.Unit, UnitCost = wanted.UnitCost ?? current.UnitCost };
            if (next.SameAs(current))
            {
                rows.Add(new ErpMaterialRow(line, wanted.Id, known.ItemId, ErpOutcome.Unchanged, null));
                continue;
            }

            if (next.Unit != current.Unit && await s.ScalarAsync<long>(
                    "SELECT count(*) FROM inventory_movements WHERE tenant_id = @Tenant AND item_id = @ItemId", new { s.Tenant, known.ItemId }) > 0)
            {
                rows.Add(new ErpMaterialRow(line, wanted.Id, known.ItemId, ErpOutcome.Refused,
                    $"item '{current.Id}' has stock movements counted in '{current.Unit}'; its unit does not change to '{next.Unit}'"));
                continue;
            }

            await WriteAsync(s, wanted, () => InventoryItems.UpdateAsync(s, known.ItemId, Input(next, current.Unit!, current.UnitCost ?? 0)));
            await SetClassesAsync(s, known.ItemId, next.Classes);
            rows.Add(new ErpMaterialRow(line, wanted.Id, known.ItemId, ErpOutcome.Updated, null));
        }

        var count = (string outcome) => rows.Count(r => r.Outcome == outcome);
        await s.AuditAsync("import", "inventory_item", null, $"ERP material master data: {count(ErpOutcome.Created)} created, {count(ErpOutcome.Updated)} updated, " +
            $"{count(ErpOutcome.Unchanged)} unchanged, {count(ErpOutcome.Refused)} refused");
        return new ErpMaterialResult(count(ErpOutcome.Created), count(ErpOutcome.Updated), count(ErpOutcome.Unchanged), count(ErpOutcome.Refused), rows);
    }

    /// <summary>Every inventory item of the tenant as material master data, with its classes, by SKU.</summary>
    public static async Task<IReadOnlyList<(long ItemId, ErpMaterial Material)>> ListAsync(Session s)
    {
        var classes = (await s.QueryAsync<(long ItemId, string Class)>(
                "SELECT item_id, class FROM material_classes WHERE tenant_id = @Tenant ORDER BY item_id, position", new { s.Tenant }))
            .ToLookup(c => c.ItemId, c => c.Class);
        var items = await s.QueryAsync<(long Id, string Sku, string Name, string Unit, double UnitCost)>(
            "SELECT id, sku, name, unit, unit_cost FROM inventory_items WHERE tenant_id = @Tenant ORDER BY sku", new { s.Tenant });
        return items.Select(i => (i.Id, new ErpMaterial(i.Sku, i.Name, i.Unit, i.UnitCost, classes[i.Id].ToList()))).ToList();
    }

    private static ItemInput Input(ErpMaterial material, string unit, double cost) =>
        new(material.Id, material.Description, material.Unit ?? unit, material.UnitCost ?? cost);

    /// <summary>The inventory's own checks (a SKU or name it refuses) become a fault at the material's ID.</summary>
    private static async Task<ItemDto> WriteAsync(Session s, ErpMaterial material, Func<Task<ItemDto>> write)
    {
        try
        {
            return await write();
        }
        catch (ApiProblem e)
        {
            throw B2mmlFault.At(material.Places["ID"], $"material '{material.Id}': {e.Message}", e.Status);
        }
    }

    private static async Task SetClassesAsync(Session s, long itemId, IReadOnlyList<string> classes)
    {
        await s.ExecuteAsync("DELETE FROM material_classes WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId });
        for (var i = 0; i < classes.Count; i++)
        {
            await s.ExecuteAsync("INSERT INTO material_classes (tenant_id, item_id, position, class) VALUES (@Tenant, @itemId, @i, @c)",
                new { s.Tenant, itemId, i, c = classes[i] });
        }
    }
}
