using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Maintenance;

internal static class RiskApi
{
    public static void MapMaintenance(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/machine-types/{typeId:long}/risk-settings").WithTags("Maintenance");
        settings.MapGet("/", async (long typeId, Caller caller, Sessions sessions, MaintenanceOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => RiskSettings.GetAsync(s, typeId, options), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The type's accepted risk of failing before maintenance and the planner's horizon (the defaults until a tenant admin stores its own).");
        settings.MapPut("/", async (long typeId, RiskSettingsInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => RiskSettings.PutAsync(s, typeId, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace the type's risk settings; the risk estimate and the next planning pass use them.");

        app.MapGet("/api/v1/machines/{id:long}/risk", async (long id, Caller caller, Sessions sessions, MachineRisk risk, CancellationToken ct) =>
            {
                var history = await sessions.RunAsync(caller, async s =>
                {
                    var typeId = await s.QueryOneAsync<long?>("SELECT type_id FROM machines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
                        ?? throw ApiProblem.NotFound("machine", id);
                    return await risk.HistoryAsync(s, typeId);
                }, ct);
                return TypedResults.Ok((await risk.EstimateAsync(caller.Tenant, history, [id], ct))[0]);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Maintenance")
            .WithSummary("The machine's risk that its wearing part fails within the next shift (8 h) and day, from its stored telemetry, states and maintenance.");

        app.MapGet("/api/v1/risk", async (Caller caller, Sessions sessions, MachineRisk risk, CancellationToken ct) =>
            {
                var histories = await sessions.RunAsync(caller, risk.HistoriesAsync, ct);
                var machines = new List<MachineRiskDto>();
                foreach (var history in histories)
                {
                    machines.AddRange(await risk.EstimateAsync(caller.Tenant, history, history.Machines.Keys, ct));
                }

                return TypedResults.Ok(new RiskListDto([.. machines.OrderByDescending(m => m.NextDay ?? -1).ThenBy(m => m.MachineId)],
                    histories.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(histories[0].Now) : DateTimeOffset.UnixEpoch));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Maintenance")
            .WithSummary("Every machine's failure risk over the next shift and day, the riskiest first.");

        app.MapPost("/api/v1/maintenance/plan", async (Caller caller, MaintenancePlanning planning, CancellationToken ct) =>
                TypedResults.Ok(await planning.PlanAsync(caller, ct)))
            .RequireAuthorization(Policies.Operator)
            .WithTags("Maintenance")
            .WithSummary("Plan maintenance now (the platform also does it hourly): a planned stop in the calendar before each machine's latest safe start, where it costs the least production.");
    }
}
