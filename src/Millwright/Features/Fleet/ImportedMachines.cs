using System.Text;
using Millwright.Api;
using Millwright.Features.Machines;
using Millwright.Fleet;

namespace Millwright.Features.Fleet;

/// <summary>
/// Finds or makes the platform machine of each machine a feed names (by serial number, else equipment id, else
/// PIN), on the source's line and machine type, and keeps its fleet identity in step with the feed's header.
/// </summary>
internal static class ImportedMachines
{
    public static async Task<List<(long MachineId, AempFeedEquipment Equipment)>> EnsureAsync(
        Session s, ImportSourceRow source, IReadOnlyList<AempFeedEquipment> equipment, List<string> warnings)
    {
        var result = new List<(long, AempFeedEquipment)>();
        foreach (var e in equipment)
        {
            if (e.Key is not { } key)
            {
                warnings.Add("a machine without serial number, equipment id or PIN was skipped");
                continue;
            }

            try
            {
                var machineId = await FindOrCreateAsync(s, source, key);
                if (machineId is null)
                {
                    warnings.Add($"{key}: a machine named {Name(source.Id, key)} exists already and was not made from this feed; skipped");
                    continue;
                }

                var header = new EquipmentInput(e.OemName ?? source.Name, e.Model ?? "unknown", e.SerialNumber ?? key, e.Pin);
                var current = await FleetEquipment.FindAsync(s, machineId.Value);
                if (current is null || current.OemName != header.OemName || current.Model != header.Model || current.SerialNumber != header.SerialNumber || current.Pin != header.Pin)
                {
                    await FleetEquipment.PutAsync(s, machineId.Value, header);
                }

                result.Add((machineId.Value, e));
            }
            catch (ApiProblem problem)
            {
                // A quota reached or a header field the platform refuses: this machine waits, the others go on.
                warnings.Add($"{key}: {problem.Message}");
            }
        }

        return result;
    }

    private static async Task<long?> FindOrCreateAsync(Session s, ImportSourceRow source, string key)
    {
        var known = await s.QueryOneAsync<long?>(
            "SELECT machine_id FROM fleet_imported_machines WHERE tenant_id = @Tenant AND source_id = @Id AND equipment_key = @key", new { s.Tenant, source.Id, key });
        if (known is not null)
        {
            return known;
        }

        var name = Name(source.Id, key);
        if (await Machines.Machines.FindByNameAsync(s, name) is not null)
        {
            return null;
        }

        var machine = await Machines.Machines.CreateAsync(s, new MachineInput(source.LineId, source.MachineTypeId, name, $"imported from the AEMP feed '{source.Name}'"));
        await s.ExecuteAsync(
            "INSERT INTO fleet_imported_machines (tenant_id, source_id, equipment_key, machine_id) VALUES (@Tenant, @Id, @key, @machine)",
            new { s.Tenant, source.Id, key, machine = machine.Id });
        return machine.Id;
    }

    /// <summary>The platform machines a source has brought so far.</summary>
    public static Task<IReadOnlyList<long>> OfSourceAsync(Session s, long sourceId) =>
        s.QueryAsync<long>("SELECT machine_id FROM fleet_imported_machines WHERE tenant_id = @Tenant AND source_id = @sourceId ORDER BY machine_id", new { s.Tenant, sourceId });

    /// <summary>The machine's name (its device id): "aemp{source}-" and the key in the platform's name alphabet.</summary>
    public static string Name(long sourceId, string key)
    {
        var slug = new StringBuilder();
        foreach (var c in key.ToLowerInvariant())
        {
            slug.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '-');
        }

        var name = $"aemp{sourceId}-{slug}";
        return name.Length > 64 ? name[..64] : name;
    }
}
