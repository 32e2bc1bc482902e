using Millwright.Api;
using Millwright.Features.Machines;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>
/// POST /api/v1/fleet/equipment: a rental fleet's machines joined in bulk, each made a platform machine (when its
/// name is new) on the given line and type and given its maker's identity, in one transaction. One machine at a
/// time through the registry costs a round trip, a quota count and an audit row each: a fleet of 100,000 needs
/// batches instead. The quota is checked once for the batch, and one audit row names the batch.
/// </summary>
internal static class FleetEnrolment
{
    public const int MaxMachines = 10_000;

    public static void MapEnrolment(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/fleet/equipment", async (EnrolmentInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => EnrolAsync(s, input), ct)))
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Join up to 10,000 machines to the fleet at once: each is created on the line and type when its name is new, and gets its maker's identity.");

    public static async Task<EnrolmentDto> EnrolAsync(Session s, EnrolmentInput input)
    {
        var v = new Validator();
        var lineId = v.Id("lineId", input.LineId);
        var typeId = v.Id("machineTypeId", input.MachineTypeId);
        if (input.Machines is not { Count: > 0 and <= MaxMachines })
        {
            v.Add("machines", $"1 to {MaxMachines} machines");
        }

        v.ThrowIfInvalid();
        var machines = new List<(string Name, EquipmentInput Identity)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Machines!.Count; i++)
        {
            var m = input.Machines[i];
            var name = v.Slug($"machines[{i}].name", m.Name);
            var oem = FleetEquipment.Text(v, $"machines[{i}].oemName", m.OemName, required: true);
            var model = FleetEquipment.Text(v, $"machines[{i}].model", m.Model, required: true);
            var serial = FleetEquipment.Text(v, $"machines[{i}].serialNumber", m.SerialNumber, required: true);
            var pin = FleetEquipment.Text(v, $"machines[{i}].pin", m.Pin, required: false);
            if (!names.Add(name))
            {
                v.Add($"machines[{i}].name", $"'{name}' is given twice");
            }

            machines.Add((name, new EquipmentInput(oem, model, serial, pin)));
        }

        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("lines", "lineId", "line", lineId);
        await s.RequireReferenceAsync("machine_types", "machineTypeId", "machine type", typeId);

        // Locks the tenant row (as every quota check does), so two batches cannot both squeeze under the limit.
        await s.ExecuteAsync("UPDATE tenants SET id = id WHERE id = @Tenant", new { s.Tenant });
        var existing = (await s.QueryAsync<(long Id, string Name)>("SELECT id, name FROM machines WHERE tenant_id = @Tenant", new { s.Tenant }))
            .ToDictionary(r => r.Name, r => r.Id, StringComparer.Ordinal);
        var added = machines.Count(m => !existing.ContainsKey(m.Name));
        if (existing.Count + added > s.Quotas.Machines)
        {
            throw Quota.Exceeded("machines", s.Quotas.Machines, existing.Count);
        }

        var enrolled = await s.QueryAsync<long>("SELECT machine_id FROM fleet_equipment WHERE tenant_id = @Tenant", new { s.Tenant });
        var inFleet = enrolled.ToHashSet();
        var result = new List<EnrolledMachine>(machines.Count);
        foreach (var (name, identity) in machines)
        {
            if (!existing.TryGetValue(name, out var id))
            {
                id = await s.ScalarAsync<long>(
                    """
                    INSERT INTO machines (tenant_id, line_id, type_id, name, description, created_at, updated_at)
                    VALUES (@Tenant, @lineId, @typeId, @name, 'fleet equipment', @Now, @Now) RETURNING id
                    """,
                    new { s.Tenant, lineId, typeId, name, s.Now });
            }

            var args = new { s.Tenant, id, oem = identity.OemName, model = identity.Model, serial = identity.SerialNumber, pin = identity.Pin, s.Now };
            await s.ExecuteAsync(inFleet.Contains(id)
                ? "UPDATE fleet_equipment SET oem_name = @oem, model = @model, serial_number = @serial, pin = @pin, updated_at = @Now WHERE tenant_id = @Tenant AND machine_id = @id"
                : "INSERT INTO fleet_equipment (tenant_id, machine_id, oem_name, model, serial_number, pin, created_at, updated_at) VALUES (@Tenant, @id, @oem, @model, @serial, @pin, @Now, @Now)",
                args);
            result.Add(new EnrolledMachine(id, name, !existing.ContainsKey(name)));
        }

        await s.AuditAsync("create", "fleet-equipment", null, $"fleet enrolment: {added} machines created, {machines.Count} given their maker's identity on line {lineId}");
        return new EnrolmentDto(added, machines.Count - added, result);
    }
}
