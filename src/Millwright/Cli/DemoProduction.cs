using Millwright.Api;
using Millwright.Features.Inventory;
using Millwright.Features.Production;
using Millwright.Features.Sites;
using Millwright.Security;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// What <see cref="DemoProduction.SeedAsync"/> created (all zero when the shop was already there), and the shop it
/// leaves: the factory site and every SKU of <see cref="DemoCatalog"/> by item id.
/// </summary>
internal sealed record DemoSeed(int Capabilities, int Items, int Routings, int Receipts, long SiteId, IReadOnlyDictionary<string, long> ItemIds);

/// <summary>
/// Sets up the demo's shop (<see cref="DemoCatalog"/>) on the virtual factory's machines once they are provisioned:
/// capabilities, items, routings and a first lot of each raw material at the factory site. Idempotent, and it only
/// adds: a machine that already has capabilities, an existing SKU, a routing or stock history that a user changed
/// are left as they are.
/// </summary>
internal static class DemoProduction
{
    /// <summary>
    /// Seeds the shop of tenant <paramref name="tenant"/>. <paramref name="timeScale"/> multiplies the routings'
    /// times: 1 in the demo; tests make the same products a hundred times faster. The opening stock is received at
    /// <paramref name="stockAt"/> (now when null): a demo with history received it before its history began.
    /// </summary>
    public static Task<DemoSeed> SeedAsync(Sessions sessions, long tenant, IReadOnlyList<ProvisionedMachine> machines, double timeScale, CancellationToken ct,
        DateTimeOffset? stockAt = null) =>
        sessions.RunAsync(Caller.CommandLine(tenant), async s =>
        {
            var capabilities = 0;
            foreach (var machine in machines)
            {
                if (DemoCatalog.CapabilityOf(machine.Plan) is { } capability && (await Capabilities.GetAsync(s, machine.Id)).Capabilities.Count == 0)
                {
                    await Capabilities.PutAsync(s, machine.Id, new CapabilitiesInput([capability]));
                    capabilities++;
                }
            }

            var site = await Sites.FindByNameAsync(s, FleetPlan.FactorySite)
                ?? throw new InvalidOperationException($"the site '{FleetPlan.FactorySite}' is missing: provision the factory first");
            var (items, receipts) = (0, 0);
            var ids = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var material in DemoCatalog.Materials)
            {
                var (id, created) = await EnsureItemAsync(s, new ItemInput(material.Sku, material.Name, material.Unit, material.UnitCost));
                ids[material.Sku] = id;
                items += created ? 1 : 0;
                var history = await InventoryMovements.ListAsync(s, new MovementQuery(1, null, id, site.Id), PageRequest.From(1, null));
                if (history.Items.Count == 0)
                {
                    await InventoryMovements.CreateAsync(s, new MovementInput(id, site.Id, "receipt", material.Lot, stockAt, "demo: opening stock"));
                    receipts++;
                }
            }

            var routings = 0;
            // The made-to-measure product only where a tailoring cell can make it.
            var tailoring = machines.Any(m => m.Plan.Kind == Simulator.Models.MachineKind.Cutter);
            foreach (var product in tailoring ? [.. DemoCatalog.Products, DemoCatalog.MadeToMeasure] : DemoCatalog.Products)
            {
                var (id, created) = await EnsureItemAsync(s, new ItemInput(product.Sku, product.Name, "count", product.UnitCost));
                ids[product.Sku] = id;
                items += created ? 1 : 0;
                if (await Routings.FindAsync(s, id) is null)
                {
                    await Routings.PutAsync(s, id, new RoutingInput([.. product.Steps.Select(step => new OperationInput(
                        step.Id, step.Name, step.Capability, step.SetupSeconds * timeScale, step.UnitSeconds * timeScale, step.Program, null, null,
                        step.Material is { } sku ? [new MaterialInput(ids[sku], step.PerUnit)] : []))]));
                    routings++;
                }
            }

            return new DemoSeed(capabilities, items, routings, receipts, site.Id, ids);
        }, ct);

    /// <summary>The item with exactly this SKU, created when missing.</summary>
    private static async Task<(long Id, bool Created)> EnsureItemAsync(Session s, ItemInput input)
    {
        // The SKU filter matches substrings ("BRK" finds "BRK-5AX"), hence the exact comparison.
        var found = await InventoryItems.ListAsync(s, new ItemQuery(null, null, input.Sku), PageRequest.From(PageRequest.MaxLimit, null));
        return found.Items.FirstOrDefault(i => i.Sku == input.Sku) is { } item
            ? (item.Id, false)
            : ((await InventoryItems.CreateAsync(s, input)).Id, true);
    }
}
