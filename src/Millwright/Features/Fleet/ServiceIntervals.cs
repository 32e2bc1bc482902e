using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>The fleet_service_intervals table: service intervals per maker and model.</summary>
internal static class ServiceIntervals
{
    public const double MaxHours = 100_000;
    public const int MaxDays = 3650;

    private const string Select =
        "SELECT id AS Id, oem_name AS OemName, model AS Model, name AS Name, every_hours AS EveryHours, every_days AS EveryDays, updated_at AS UpdatedAt FROM fleet_service_intervals";

    public static async Task<IReadOnlyList<ServiceIntervalDto>> ListAsync(Session s) =>
        (await s.QueryAsync<ServiceIntervalRow>($"{Select} WHERE tenant_id = @Tenant ORDER BY oem_name, model, name, id", new { s.Tenant })).Select(r => r.AsDto()).ToList();

    public static async Task<ServiceIntervalDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<ServiceIntervalRow>($"{Select} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("service interval", id);

    public static async Task<ServiceIntervalDto> CreateAsync(Session s, ServiceIntervalInput input)
    {
        var (oem, model, name, hours, days) = Validate(input);
        var id = await s.GuardAsync(() => s.ScalarAsync<long>(
            """
            INSERT INTO fleet_service_intervals (tenant_id, oem_name, model, name, every_hours, every_days, created_at, updated_at)
            VALUES (@Tenant, @oem, @model, @name, @hours, @days, @Now, @Now) RETURNING id
            """, new { s.Tenant, oem, model, name, hours, days, s.Now }), $"{oem} {model} already has an interval named '{name}'");
        await s.AuditAsync("create", "service-interval", id, $"service interval '{name}' of {oem} {model}: {Describe(hours, days)}");
        return await GetAsync(s, id);
    }

    public static async Task<ServiceIntervalDto> UpdateAsync(Session s, long id, ServiceIntervalInput input)
    {
        await GetAsync(s, id);
        var (oem, model, name, hours, days) = Validate(input);
        await s.GuardAsync(() => s.ExecuteAsync(
            """
            UPDATE fleet_service_intervals SET oem_name = @oem, model = @model, name = @name, every_hours = @hours, every_days = @days, updated_at = @Now
            WHERE tenant_id = @Tenant AND id = @id
            """, new { s.Tenant, id, oem, model, name, hours, days, s.Now }), $"{oem} {model} already has an interval named '{name}'");
        await s.AuditAsync("update", "service-interval", id, $"service interval '{name}' of {oem} {model}: {Describe(hours, days)}");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var interval = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM fleet_service_intervals WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "service-interval", id, $"service interval '{interval.Name}' of {interval.OemName} {interval.Model} removed with its service records");
    }

    private static (string Oem, string Model, string Name, double? Hours, int? Days) Validate(ServiceIntervalInput input)
    {
        var v = new Validator();
        var oem = v.Name("oemName", input.OemName);
        var model = v.Name("model", input.Model);
        var name = v.Name("name", input.Name);
        if (input.EveryHours is null && input.EveryDays is null)
        {
            v.Add("everyHours", "give everyHours, everyDays or both");
        }

        if (input.EveryHours is { } h && !(h > 0 && h <= MaxHours))
        {
            v.Add("everyHours", $"must be more than 0 and at most {MaxHours}");
        }

        if (input.EveryDays is { } d && d is <= 0 or > MaxDays)
        {
            v.Add("everyDays", $"must be 1..{MaxDays}");
        }

        v.ThrowIfInvalid();
        return (oem, model, name, input.EveryHours, input.EveryDays);
    }

    private static string Describe(double? hours, int? days) =>
        string.Join(" or ", new[] { hours is { } h ? FormattableString.Invariant($"every {h} h") : null, days is { } d ? $"every {d} days" : null }.OfType<string>());
}
