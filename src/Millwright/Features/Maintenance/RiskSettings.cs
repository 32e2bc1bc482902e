using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Maintenance;

/// <summary>A machine type's risk settings; <see cref="Source"/> is "default" until a tenant admin stores its own.</summary>
internal sealed record RiskSettingsDto(long MachineTypeId, string Source, double AcceptedRisk, double HorizonHours)
{
    public long HorizonMs => (long)(HorizonHours * 3_600_000);
}

internal sealed record RiskSettingsInput(double? AcceptedRisk, double? HorizonHours);

/// <summary>
/// Per-machine-type risk settings (tenant-scoped): the accepted chance of failing before maintenance (the latest safe
/// start is where the risk reaches it) and the planner's horizon (a stop is planned once that start is this close).
/// </summary>
internal static class RiskSettings
{
    public const double MinAccepted = 0.001, MaxAccepted = 0.5, MinHorizonHours = 1, MaxHorizonHours = 720;

    private sealed record Row(double AcceptedRisk, double HorizonHours);

    public static RiskSettingsDto Defaults(long typeId, MaintenanceOptions options) =>
        new(typeId, "default", options.Acceptable, options.PlanAhead.TotalHours);

    /// <summary>The type's settings; 404 when the type is not the caller's.</summary>
    public static async Task<RiskSettingsDto> GetAsync(Session s, long typeId, MaintenanceOptions options)
    {
        await RequireTypeAsync(s, typeId);
        return await InForceAsync(s, typeId, options);
    }

    /// <summary>The settings in force for a type known to be the caller's (stored, or the defaults).</summary>
    public static async Task<RiskSettingsDto> InForceAsync(Session s, long typeId, MaintenanceOptions options)
    {
        var row = await s.QueryOneAsync<Row>("SELECT accepted_risk, horizon_hours FROM risk_settings WHERE tenant_id = @Tenant AND machine_type_id = @typeId",
            new { s.Tenant, typeId });
        return row is null ? Defaults(typeId, options) : new RiskSettingsDto(typeId, "stored", row.AcceptedRisk, row.HorizonHours);
    }

    public static async Task<RiskSettingsDto> PutAsync(Session s, long typeId, RiskSettingsInput input)
    {
        await RequireTypeAsync(s, typeId);
        var accepted = input.AcceptedRisk ?? throw ApiProblem.Invalid("acceptedRisk", "is required");
        if (!double.IsFinite(accepted) || accepted < MinAccepted || accepted > MaxAccepted)
        {
            throw ApiProblem.Invalid("acceptedRisk", FormattableString.Invariant($"must be a chance from {MinAccepted} to {MaxAccepted}"));
        }

        var horizon = input.HorizonHours ?? throw ApiProblem.Invalid("horizonHours", "is required");
        if (!double.IsFinite(horizon) || horizon < MinHorizonHours || horizon > MaxHorizonHours)
        {
            throw ApiProblem.Invalid("horizonHours", FormattableString.Invariant($"must be {MinHorizonHours} to {MaxHorizonHours} hours"));
        }

        await s.ExecuteAsync(
            """
            INSERT INTO risk_settings (tenant_id, machine_type_id, accepted_risk, horizon_hours, updated_at) VALUES (@Tenant, @typeId, @accepted, @horizon, @Now)
            ON CONFLICT (tenant_id, machine_type_id) DO UPDATE SET accepted_risk = excluded.accepted_risk, horizon_hours = excluded.horizon_hours, updated_at = excluded.updated_at
            """,
            new { s.Tenant, typeId, accepted, horizon, s.Now });
        await s.AuditAsync("update", "risk_settings", typeId,
            string.Create(CultureInfo.InvariantCulture, $"risk settings of machine type {typeId}: accepted risk {accepted:0.###}, horizon {horizon:0.#} h"));
        return new RiskSettingsDto(typeId, "stored", accepted, horizon);
    }

    private static async Task RequireTypeAsync(Session s, long typeId)
    {
        if (await s.QueryOneAsync<long?>("SELECT id FROM machine_types WHERE tenant_id = @Tenant AND id = @typeId", new { s.Tenant, typeId }) is null)
        {
            throw ApiProblem.NotFound("machine type", typeId);
        }
    }
}
