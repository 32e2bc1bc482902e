using Millwright.Api;

namespace Millwright.Features.Production;

internal sealed record CapabilitiesInput(IReadOnlyList<string?>? Capabilities);

internal sealed record CapabilitiesDto(long MachineId, IReadOnlyList<string> Capabilities);

internal sealed record CapabilityCountDto(string Capability, long Machines);

/// <summary>What each machine can do: the names routings ask for. Replaced as a whole per machine.</summary>
internal static class Capabilities
{
    public const int MaxPerMachine = 50;

    public static async Task<CapabilitiesDto> GetAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        var names = await s.QueryAsync<string>(
            "SELECT capability FROM machine_capabilities WHERE tenant_id = @Tenant AND machine_id = @machineId ORDER BY capability",
            new { s.Tenant, machineId });
        return new CapabilitiesDto(machineId, names);
    }

    public static async Task<CapabilitiesDto> PutAsync(Session s, long machineId, CapabilitiesInput input)
    {
        var v = new Validator();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var list = input.Capabilities ?? [];
        if (input.Capabilities is null)
        {
            v.Add("capabilities", "is required (an empty list removes them all)");
        }
        else if (list.Count > MaxPerMachine)
        {
            v.Add("capabilities", $"at most {MaxPerMachine}");
        }

        for (var i = 0; i < list.Count && i < MaxPerMachine; i++)
        {
            names.Add(v.Slug($"capabilities[{i}]", list[i]));
        }

        v.ThrowIfInvalid();
        var machine = await Machines.Machines.GetAsync(s, machineId);
        await s.ExecuteAsync("DELETE FROM machine_capabilities WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        foreach (var capability in names)
        {
            await s.ExecuteAsync(
                "INSERT INTO machine_capabilities (tenant_id, machine_id, capability) VALUES (@Tenant, @machineId, @capability)",
                new { s.Tenant, machineId, capability });
        }

        await s.AuditAsync("update", "machine", machineId, $"capabilities of machine '{machine.Name}': {(names.Count == 0 ? "none" : string.Join(", ", names))}");
        return new CapabilitiesDto(machineId, names.ToList());
    }

    /// <summary>Every capability of the tenant and how many machines have it.</summary>
    public static async Task<IReadOnlyList<CapabilityCountDto>> ListAsync(Session s) =>
        (await s.QueryAsync<(string Capability, long Machines)>(
            "SELECT capability, COUNT(*) FROM machine_capabilities WHERE tenant_id = @Tenant GROUP BY capability ORDER BY capability",
            new { s.Tenant })).Select(r => new CapabilityCountDto(r.Capability, r.Machines)).ToList();

    /// <summary>The machines of <paramref name="siteId"/> (all sites when null) that have <paramref name="capability"/>.</summary>
    public static async Task<IReadOnlyList<long>> MachinesWithAsync(Session s, string capability, long? siteId) =>
        await s.QueryAsync<long>(
            """
            SELECT c.machine_id FROM machine_capabilities c
            JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE c.tenant_id = @Tenant AND c.capability = @capability AND (@siteId IS NULL OR a.site_id = @siteId)
            ORDER BY c.machine_id
            """,
            new { s.Tenant, capability, siteId });
}
