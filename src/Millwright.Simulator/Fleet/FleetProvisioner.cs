using System.Text.Json;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;

namespace Millwright.Simulator.Fleet;

/// <summary>
/// Makes the platform ready for a simulated fleet of N machines, through the REST API: site "Fleet" with an area
/// "Depots" and a line per depot; the fleet machine type and the gateway type; a gateway machine per depot with a
/// new device credential; and the fleet machines themselves, joined in batches of <see cref="Batch"/> through
/// <c>POST /api/v1/fleet/equipment</c> (created when new, with maker, model and serial number). Names are fixed
/// (<c>fleet-000001</c>, <c>depot-001-gw</c>), so a re-run reuses what exists.
/// </summary>
internal sealed class FleetProvisioner(PlatformApi api, Action<string> log)
{
    public const int Batch = 2_000;

    public async Task<IReadOnlyList<FleetDepot>> ProvisionAsync(int machines, CancellationToken cancellationToken, int perDepot = FleetLayout.MachinesPerDepot)
    {
        var fleetType = await EnsureTypeAsync(FleetCatalog.Type, cancellationToken);
        var gatewayType = await EnsureTypeAsync(FleetCatalog.Gateway, cancellationToken);
        var siteId = await api.EnsureAsync("sites", "Fleet", new { name = "Fleet", timeZone = "Europe/Paris" }, cancellationToken);
        var areaId = await api.EnsureAsync("areas", "Depots", new { siteId, name = "Depots" }, cancellationToken, "siteId", siteId);
        var depots = new List<FleetDepot>();
        var count = FleetLayout.DepotCount(machines, perDepot);
        for (var d = 0; d < count; d++)
        {
            var line = $"Depot {d + 1:D3}";
            var lineId = await api.EnsureAsync("lines", line, new { areaId, name = line }, cancellationToken, "areaId", areaId);
            var gateway = $"depot-{d + 1:D3}-gw";
            var gatewayId = await api.EnsureAsync("machines", gateway,
                new { lineId, typeId = gatewayType, name = gateway, description = "Simulated telematics gateway of a depot" }, cancellationToken);
            var credential = await api.PostAsync($"/api/v1/machines/{gatewayId}/credentials", null, cancellationToken);
            var names = Enumerable.Range(0, machines).Where(i => i % count == d).Select(Name).ToList();
            foreach (var chunk in names.Chunk(Batch))
            {
                await api.PostAsync("/api/v1/fleet/equipment", new
                {
                    lineId,
                    machineTypeId = fleetType,
                    machines = chunk.Select(n =>
                    {
                        var model = FleetCatalog.Models[Index(n) % FleetCatalog.Models.Length];
                        return new { name = n, oemName = model.Maker, model = model.Model, serialNumber = $"SIM{Index(n):D7}" };
                    }),
                }, cancellationToken);
            }

            depots.Add(new FleetDepot(d, gateway, credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), names));
            log($"depot {d + 1}/{count}: {gateway} and {names.Count} machines ({depots.Sum(x => x.Machines.Count):N0} of {machines:N0})");
        }

        return depots;
    }

    public static string Name(int index) => $"fleet-{index + 1:D6}";

    public static int Index(string name) => int.Parse(name.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture) - 1;

    private async Task<long> EnsureTypeAsync(MachineTypeDefinition type, CancellationToken cancellationToken)
    {
        var tags = type.Tags.Select(t => JsonSerializer.SerializeToNode(new { name = t.Name, unit = t.Unit, dataType = t.DataType, kind = t.Kind, min = t.Min, max = t.Max })!);
        return await api.EnsureAsync("machine-types", type.Name, new { name = type.Name, description = type.Description, tags }, cancellationToken);
    }
}
