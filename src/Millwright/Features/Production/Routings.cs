using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>Routings: one per item, validated on its own and against the tenant's machines and items.</summary>
internal static class Routings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<RoutingDto> GetAsync(Session s, long itemId)
    {
        await Inventory.InventoryItems.GetAsync(s, itemId);
        var row = await s.QueryOneAsync<(string Document, long UpdatedAt)?>(
            "SELECT document, updated_at FROM routings WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId });
        return row is { } r
            ? new RoutingDto(itemId, Parse(r.Document).Operations, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))
            : throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Item {itemId} has no routing.");
    }

    /// <summary>The routing of an item, or null when it has none.</summary>
    public static async Task<Routing?> FindAsync(Session s, long itemId)
    {
        var document = await s.QueryOneAsync<string>(
            "SELECT document FROM routings WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId });
        return document is null ? null : Parse(document);
    }

    public static async Task<RoutingDto> PutAsync(Session s, long itemId, RoutingInput input)
    {
        var routing = RoutingValidator.Validate(input);
        var item = await Inventory.InventoryItems.GetAsync(s, itemId);
        await CheckReferencesAsync(s, itemId, routing);
        var document = JsonSerializer.Serialize(routing, Json);
        var updated = await s.ExecuteAsync(
            "UPDATE routings SET document = @document, updated_at = @Now WHERE tenant_id = @Tenant AND item_id = @itemId",
            new { s.Tenant, itemId, document, s.Now });
        if (updated == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO routings (tenant_id, item_id, document, updated_at) VALUES (@Tenant, @itemId, @document, @Now)",
                new { s.Tenant, itemId, document, s.Now });
        }

        await s.AuditAsync("update", "routing", itemId,
            $"routing of '{item.Sku}': {string.Join(" → ", routing.Operations.Select(o => $"{o.Id} {o.Capability}"))}");
        return await GetAsync(s, itemId);
    }

    public static async Task DeleteAsync(Session s, long itemId)
    {
        var item = await Inventory.InventoryItems.GetAsync(s, itemId);
        if (await s.ExecuteAsync("DELETE FROM routings WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId }) == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Item {itemId} has no routing.");
        }

        await s.AuditAsync("delete", "routing", itemId, $"deleted the routing of '{item.Sku}'");
    }

    /// <summary>
    /// Every named machine exists and has the operation's capability, some machine has each capability, and
    /// every material is an item other than the one made. An operation no machine can run is refused here and
    /// again when an order is released (machines change).
    /// </summary>
    public static async Task CheckReferencesAsync(Session s, long itemId, Routing routing)
    {
        var v = new Validator();
        for (var i = 0; i < routing.Operations.Count; i++)
        {
            var op = routing.Operations[i];
            var capable = await Capabilities.MachinesWithAsync(s, op.Capability, null);
            if (capable.Count == 0)
            {
                v.Add($"operations[{i}].capability", $"operation '{op.Id}' needs '{op.Capability}', which no machine has (PUT /api/v1/machines/{{id}}/capabilities)");
            }

            foreach (var machine in op.Machines ?? [])
            {
                if (!capable.Contains(machine))
                {
                    var exists = await s.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE tenant_id = @Tenant AND id = @machine", new { s.Tenant, machine });
                    v.Add($"operations[{i}].machines", exists == 0
                        ? $"there is no machine with id {machine}"
                        : $"machine {machine} does not have the capability '{op.Capability}'");
                }
            }

            foreach (var material in op.Materials)
            {
                var exists = await s.ScalarAsync<long>("SELECT COUNT(*) FROM inventory_items WHERE tenant_id = @Tenant AND id = @ItemId", new { s.Tenant, material.ItemId });
                if (exists == 0 || material.ItemId == itemId)
                {
                    v.Add($"operations[{i}].materials", exists == 0 ? $"there is no item with id {material.ItemId}" : "an item cannot be made from itself");
                }
            }
        }

        v.ThrowIfInvalid();
    }

    private static Routing Parse(string document) =>
        JsonSerializer.Deserialize<Routing>(document, Json) ?? throw new InvalidDataException("a stored routing is empty");
}
