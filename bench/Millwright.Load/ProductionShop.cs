using System.Globalization;
using System.Text;
using Dapper;
using Millwright.Api;
using Millwright.Features.Inventory;
using Millwright.Features.Production;
using Millwright.Features.States;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>The production bench's shop: machines with one of four capabilities, ten products of four operations each, and a book of orders.</summary>
internal static class ProductionShop
{
    public const int Operations = 4;
    private const int Products = 10;

    public static async Task<(IReadOnlyList<(long Id, string Machine, string User, string Secret)> Devices, long Tenant)> ProvisionAsync(
        IDatabase database, ProductionLoad.Settings settings, CancellationToken ct)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("tenant: bench\nname: Benchmark\nmachineTypes:\n  - name: cell machine\n    tags:");
        yaml.AppendLine("      - { name: power, unit: kW, dataType: float, min: 0, max: 100 }\n      - { name: alarm, dataType: int, min: 0, max: 9999 }");
        yaml.AppendLine("      - { name: parts, unit: parts, dataType: int, kind: counter, min: 0 }\n      - { name: scrap, unit: parts, dataType: int, kind: counter, min: 0 }");
        yaml.AppendLine("sites:\n  - name: Works\n    areas:\n      - name: Shop floor\n        lines:\n          - name: Cells\n            machines:");
        for (var m = 0; m < settings.Machines; m++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"              - {{ name: cell{m:D3}, type: cell machine }}");
        }

        var (devices, _, tenant) = await BenchTenant.ProvisionAsync(database, "bench", yaml.ToString(), "bench viewer", ct);
        var sessions = new Sessions(database, TimeProvider.System);
        var ids = await sessions.RunAsync(Caller.CommandLine(tenant), async s =>
        {
            var type = await s.ScalarAsync<long>("SELECT id FROM machine_types WHERE tenant_id = @Tenant", new { s.Tenant });
            await StateRules.PutAsync(s, type, new StateRuleSetInput(
                [new StateRuleInput("down", "alarm != 0"), new StateRuleInput("running", "power > 1")], null, 600, "alarm", null, "parts", "scrap", null, null, null, null));
            var machines = await s.QueryAsync<(long Id, string Name)>("SELECT id, name FROM machines WHERE tenant_id = @Tenant ORDER BY name", new { s.Tenant });
            for (var m = 0; m < machines.Count; m++)
            {
                await Capabilities.PutAsync(s, machines[m].Id, new CapabilitiesInput([$"cap-{m % 4}"]));
            }

            var random = new Random(settings.Seed);
            for (var p = 0; p < Products; p++)
            {
                var item = await InventoryItems.CreateAsync(s, new ItemInput($"P{p}", $"Product {p}", "count", 10));
                var capabilities = Enumerable.Range(0, 4).OrderBy(_ => random.Next()).ToList();
                await Routings.PutAsync(s, item.Id, new RoutingInput([.. capabilities.Select((c, k) => new OperationInput(
                    $"{(k + 1) * 10}", $"Step {k + 1}", $"cap-{c}", random.Next(60, 600), random.Next(10, 90), $"PRG{p}{k}", null, null, null))]));
            }

            return machines.ToDictionary(m => m.Name, m => m.Id);
        }, ct);
        return (devices.Select(d => (ids[d.Machine], d.Machine, d.User, d.Secret)).ToList(), tenant);
    }

    /// <summary>Orders for the products in turn, 10-60 units, due 2-16 hours out (a book the shop cannot finish on time, so tardiness tells plans apart), priority 1-100, each released as it is taken.</summary>
    public static async Task ReleaseOrdersAsync(IDatabase database, ProductionInbox inbox, long tenant, ProductionLoad.Settings settings, CancellationToken ct)
    {
        var sessions = new Sessions(database, TimeProvider.System);
        var random = new Random(settings.Seed + 1);
        await using var connection = await database.OpenAsync(ct);
        var items = (await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM inventory_items WHERE tenant_id = @tenant ORDER BY id", new { tenant }, cancellationToken: ct))).AsList();
        var site = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT id FROM sites WHERE tenant_id = @tenant", new { tenant }, cancellationToken: ct));
        var now = DateTimeOffset.UtcNow;
        await sessions.RunAsync(Caller.CommandLine(tenant), async s =>
        {
            for (var o = 0; o < settings.Orders; o++)
            {
                await Orders.CreateAsync(s, new OrderInput($"B-{o:D4}", $"Customer {o % 17}", items[o % items.Count], site, random.Next(10, 61),
                    now.AddHours(random.Next(2, 17)), random.Next(1, 101), null, true));
            }

            return true;
        }, ct);
        inbox.Post(new PlanRequested(tenant, $"{settings.Orders} orders released"));
    }
}
