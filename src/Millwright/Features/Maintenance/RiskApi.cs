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
        settings.MapPut("/", async (long typeId, RiskSettingsInput input, Caller caller, Sessions sessions, RiskCache cache, CancellationToken ct) =>
            {
                var stored = await sessions.RunAsync(caller, s => RiskSettings.PutAsync(s, typeId, input), ct);
                cache.Invalidate(caller.Tenant);
                return TypedResults.Ok(stored);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace the type's risk settings; the risk estimate and the next planning pass use them.");

        app.MapGet("/api/v1/machines/{id:long}/risk", async (long id, Caller caller, Sessions sessions, RiskCache cache, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s => await s.QueryOneAsync<long?>("SELECT id FROM machines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
                    ?? throw ApiProblem.NotFound("machine", id), ct);
                return TypedResults.Ok(await cache.MachineAsync(caller.Tenant, id, ct) ?? throw ApiProblem.NotFound("machine", id));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Maintenance")
            .WithSummary("The machine's risk that its wearing part fails within the next shift (8 h) and day, from its stored telemetry, states and maintenance records (computed at most a minute ago).");

        app.MapGet("/api/v1/risk", async (Caller caller, RiskCache cache, CancellationToken ct) => TypedResults.Ok(await cache.AllAsync(caller.Tenant, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Maintenance")
            .WithSummary("Every machine's failure risk over the next shift and day, the riskiest first (computed at most a minute ago, once for every screen).");

        // Mapped without a group so the template names the machine to the end (a stranger's write is a 404, not a create).
        const string records = "/api/v1/machines/{id:long}/maintenance-records";
        app.MapGet(records, async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(new MaintenanceRecordListDto(await sessions.RunAsync(caller, s => MaintenanceRecords.ListAsync(s, id), ct))))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Maintenance")
            .WithSummary("The machine's maintenance records (planned stops carried out, breakdowns repaired), newest first.");
        app.MapPost(records, async (long id, MaintenanceRecordInput input, Caller caller, Sessions sessions, RiskCache cache, CancellationToken ct) =>
            {
                var recorded = await sessions.RunAsync(caller, s => MaintenanceRecords.RecordAsync(s, id, input), ct);
                cache.Invalidate(caller.Tenant);
                return TypedResults.Created($"/api/v1/machines/{id}/maintenance-records", recorded);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Maintenance")
            .WithSummary("Confirm that a planned maintenance stop was carried out (kind 'maintenance', plannedStopFrom) or record a breakdown's repair (kind 'repair', breakdownStateId): the part's risk starts again from a new part.");

        app.MapPost("/api/v1/maintenance/plan", async (Caller caller, MaintenancePlanning planning, CancellationToken ct) =>
                TypedResults.Ok(await planning.PlanAsync(caller, ct)))
            .RequireAuthorization(Policies.Operator)
            .WithTags("Maintenance")
            .WithSummary("Plan maintenance now (the platform also does it hourly): a planned stop in the calendar before each machine's latest safe start, where it costs the least production.");
    }
}
