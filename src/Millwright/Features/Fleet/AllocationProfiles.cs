using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>The fleet_allocation_profiles table: which machines the stored allocation may send, as what, at what price.</summary>
internal static class AllocationProfiles
{
    public const int MaxCapabilities = 20;

    private const string Select =
        "SELECT machine_id AS MachineId, category AS Category, capabilities AS Capabilities, daily_rate AS DailyRate, updated_at AS UpdatedAt FROM fleet_allocation_profiles";

    public static async Task<AllocationProfileDto> GetAsync(Session s, long machineId)
    {
        await FleetEquipment.GetAsync(s, machineId);
        return (await s.QueryOneAsync<AllocationProfileRow>($"{Select} WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId }))?.AsDto()
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no allocation profile (PUT its category, capabilities and daily rate first).");
    }

    public static async Task<IReadOnlyList<AllocationProfileDto>> ListAsync(Session s) =>
        (await s.QueryAsync<AllocationProfileRow>($"{Select} WHERE tenant_id = @Tenant ORDER BY machine_id", new { s.Tenant })).Select(r => r.AsDto()).ToList();

    /// <summary>The categories some machine of the tenant has: a request for any other can never be served.</summary>
    public static async Task<IReadOnlySet<string>> CategoriesAsync(Session s) =>
        (await s.QueryAsync<string>("SELECT DISTINCT category FROM fleet_allocation_profiles WHERE tenant_id = @Tenant", new { s.Tenant }))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static async Task<AllocationProfileDto> PutAsync(Session s, long machineId, AllocationProfileInput input)
    {
        var v = new Validator();
        var category = Category(v, "category", input.Category);
        var capabilities = Capabilities(v, "capabilities", input.Capabilities);
        if (input.DailyRate is not (>= 0 and < 1e7))
        {
            v.Add("dailyRate", "is required: 0 or more, below 10,000,000");
        }

        v.ThrowIfInvalid();
        var equipment = await FleetEquipment.GetAsync(s, machineId);
        var args = new { s.Tenant, machineId, category, capabilities = JsonSerializer.Serialize(capabilities), rate = input.DailyRate!.Value, s.Now };
        var updated = await s.ExecuteAsync(
            "UPDATE fleet_allocation_profiles SET category = @category, capabilities = @capabilities, daily_rate = @rate, updated_at = @Now WHERE tenant_id = @Tenant AND machine_id = @machineId", args);
        if (updated == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO fleet_allocation_profiles (tenant_id, machine_id, category, capabilities, daily_rate, updated_at) VALUES (@Tenant, @machineId, @category, @capabilities, @rate, @Now)", args);
        }

        await s.AuditAsync(updated == 0 ? "create" : "update", "allocation-profile", machineId,
            FormattableString.Invariant($"'{equipment.EquipmentId}' allocated as {category} at {input.DailyRate} a day"));
        return await GetAsync(s, machineId);
    }

    public static async Task DeleteAsync(Session s, long machineId)
    {
        var profile = await GetAsync(s, machineId);
        await s.ExecuteAsync("DELETE FROM fleet_allocation_profiles WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        await s.AuditAsync("delete", "allocation-profile", machineId, $"machine {machineId} ({profile.Category}) no longer allocated");
    }

    /// <summary>A machine type as requests and licences name it: a name, compared without case.</summary>
    internal static string Category(Validator v, string field, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 64 || text.Any(char.IsControl))
        {
            v.Add(field, "is required: the machine type, 1-64 characters (e.g. excavator)");
            return "";
        }

        return text.ToLowerInvariant();
    }

    internal static Dictionary<string, double> Capabilities(Validator v, string field, Dictionary<string, double>? values)
    {
        values ??= [];
        if (values.Count > MaxCapabilities)
        {
            v.Add(field, $"at most {MaxCapabilities}");
        }

        foreach (var (name, value) in values)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Any(char.IsControl) || !double.IsFinite(value) || value < 0)
            {
                v.Add($"{field}.{name}", "a capability is a name of 1-64 characters with a finite value of 0 or more");
            }
        }

        return values.ToDictionary(c => c.Key.Trim(), c => c.Value, StringComparer.Ordinal);
    }
}
