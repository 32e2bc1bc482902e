using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>The fleet_equipment table: which machines are fleet equipment and their maker's identity.</summary>
internal static class FleetEquipment
{
    private const int TextMax = 100;

    private const string Select =
        """
        SELECT e.machine_id AS MachineId, m.name AS MachineName, e.oem_name AS OemName, e.model AS Model,
               e.serial_number AS SerialNumber, e.pin AS Pin, e.updated_at AS UpdatedAt
        FROM fleet_equipment e JOIN machines m ON m.tenant_id = e.tenant_id AND m.id = e.machine_id
        """;

    public static async Task<EquipmentDto> GetAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        return await FindAsync(s, machineId)
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} is not fleet equipment (PUT its maker, model and serial number first).");
    }

    public static async Task<EquipmentDto?> FindAsync(Session s, long machineId) =>
        (await s.QueryOneAsync<EquipmentRow>($"{Select} WHERE e.tenant_id = @Tenant AND e.machine_id = @machineId", new { s.Tenant, machineId }))?.AsDto();

    public static async Task<EquipmentDto> PutAsync(Session s, long machineId, EquipmentInput input)
    {
        var v = new Validator();
        var oem = Text(v, "oemName", input.OemName, required: true)!;
        var model = Text(v, "model", input.Model, required: true)!;
        var serial = Text(v, "serialNumber", input.SerialNumber, required: true)!;
        var pin = Text(v, "pin", input.Pin, required: false);
        v.ThrowIfInvalid();
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var existed = await FindAsync(s, machineId) is not null;
        var args = new { s.Tenant, machineId, oem, model, serial, pin, s.Now };
        await s.ExecuteAsync(existed
            ? "UPDATE fleet_equipment SET oem_name = @oem, model = @model, serial_number = @serial, pin = @pin, updated_at = @Now WHERE tenant_id = @Tenant AND machine_id = @machineId"
            : "INSERT INTO fleet_equipment (tenant_id, machine_id, oem_name, model, serial_number, pin, created_at, updated_at) VALUES (@Tenant, @machineId, @oem, @model, @serial, @pin, @Now, @Now)",
            args);
        await s.AuditAsync(existed ? "update" : "create", "fleet-equipment", machineId, $"fleet equipment '{machine.Name}': {oem} {model} s/n {serial}");
        return (await FindAsync(s, machineId))!;
    }

    public static async Task DeleteAsync(Session s, long machineId)
    {
        var equipment = await GetAsync(s, machineId);
        await s.ExecuteAsync("DELETE FROM fleet_equipment WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        await s.AuditAsync("delete", "fleet-equipment", machineId, $"fleet equipment '{equipment.EquipmentId}' removed from the fleet");
    }

    /// <summary>One page (1-based) of the fleet in machine id order, and how many machines the fleet has.</summary>
    public static async Task<(IReadOnlyList<EquipmentDto> Items, long Total)> PageAsync(Session s, int page, int size)
    {
        var total = await s.ScalarAsync<long>("SELECT COUNT(*) FROM fleet_equipment WHERE tenant_id = @Tenant", new { s.Tenant });
        var rows = await s.QueryAsync<EquipmentRow>(
            $"{Select} WHERE e.tenant_id = @Tenant ORDER BY e.machine_id LIMIT @size OFFSET @offset",
            new { s.Tenant, size, offset = (long)(page - 1) * size });
        return (rows.Select(r => r.AsDto()).ToList(), total);
    }

    internal static string? Text(Validator v, string field, string? value, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return null;
        }

        if (text.Length > TextMax || text.Any(char.IsControl))
        {
            v.Add(field, $"at most {TextMax} characters, no control characters");
        }

        return text;
    }
}
