using Millwright.Api;

namespace Millwright.Features.Energy;

/// <summary>The registry of meters: which meter machine and counter measure a machine.</summary>
internal static class EnergyMeters
{
    private const int MaxTagLength = 200;

    /// <summary>kWh per unit of a counter.</summary>
    public static readonly IReadOnlyDictionary<string, double> Units = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["kWh"] = 1, ["Wh"] = 0.001, ["MWh"] = 1000,
    };

    public static async Task<EnergyMeterDto> GetAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        return (await FindAsync(s, machineId))?.AsDto()
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no energy meter.");
    }

    public static Task<EnergyMeterRow?> FindAsync(Session s, long machineId) =>
        s.QueryOneAsync<EnergyMeterRow>(
            """
            SELECT machine_id AS MachineId, meter_machine_id AS MeterMachineId, counter_tag AS CounterTag, unit AS Unit, updated_at AS UpdatedAt
            FROM energy_meters WHERE tenant_id = @Tenant AND machine_id = @machineId
            """,
            new { s.Tenant, machineId });

    public static async Task<EnergyMeterDto> PutAsync(Session s, long machineId, EnergyMeterInput input)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var v = new Validator();
        var tag = input.CounterTag?.Trim();
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength)
        {
            v.Add("counterTag", $"the meter's energy counter tag is required, at most {MaxTagLength} characters");
        }

        var unit = input.Unit ?? "kWh";
        if (!Units.ContainsKey(unit))
        {
            v.Add("unit", "must be kWh, Wh or MWh");
        }

        v.ThrowIfInvalid();
        var meter = input.MeterMachineId ?? machineId;
        if (meter != machineId)
        {
            await s.RequireReferenceAsync("machines", "meterMachineId", "machine", meter);
        }

        var changed = await s.ExecuteAsync(
            """
            UPDATE energy_meters SET meter_machine_id = @meter, counter_tag = @tag, unit = @unit, updated_at = @Now
            WHERE tenant_id = @Tenant AND machine_id = @machineId
            """,
            new { meter, tag, unit, s.Now, s.Tenant, machineId });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                """
                INSERT INTO energy_meters (tenant_id, machine_id, meter_machine_id, counter_tag, unit, updated_at)
                VALUES (@Tenant, @machineId, @meter, @tag, @unit, @Now)
                """,
                new { s.Tenant, machineId, meter, tag, unit, s.Now });
        }

        await s.AuditAsync("energy-meter.put", "machine", machineId, $"machine '{machine.Name}' measured by machine {meter}, tag '{tag}' in {unit}");
        return new EnergyMeterDto(machineId, meter, tag!, unit, DateTimeOffset.FromUnixTimeMilliseconds(s.Now));
    }

    public static async Task DeleteAsync(Session s, long machineId)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var deleted = await s.ExecuteAsync("DELETE FROM energy_meters WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        if (deleted == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no energy meter.");
        }

        await s.AuditAsync("energy-meter.delete", "machine", machineId, $"machine '{machine.Name}' no longer has its own meter");
    }
}
