using Microsoft.AspNetCore.Mvc;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>Service intervals per model, services done, planned service visits and the due-soon / overdue list.</summary>
internal static class MaintenanceApi
{
    private static readonly string[] Statuses = ["overdue", "due_soon", "ok"];

    public static void MapFleetMaintenance(this IEndpointRouteBuilder app)
    {
        var intervals = app.MapGroup("/api/v1/fleet/service-intervals").WithTags("Fleet");
        intervals.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, ServiceIntervals.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Service intervals per maker and model.");
        intervals.MapPost("/", async (ServiceIntervalInput input, Caller caller, Sessions sessions, ServiceAlarms alarms, CancellationToken ct) =>
            {
                var created = await sessions.RunAsync(caller, s => ServiceIntervals.CreateAsync(s, input), ct);
                await alarms.CheckAsync(caller.Tenant, ct);
                return TypedResults.Created($"/api/v1/fleet/service-intervals/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Add a service interval of a maker's model: every so many operating hours, days, or both (whichever first).");
        intervals.MapPut("/{id:long}", async (long id, ServiceIntervalInput input, Caller caller, Sessions sessions, ServiceAlarms alarms, CancellationToken ct) =>
            {
                var updated = await sessions.RunAsync(caller, s => ServiceIntervals.UpdateAsync(s, id, input), ct);
                await alarms.CheckAsync(caller.Tenant, ct);
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Policies.Operator);
        intervals.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, ServiceAlarms alarms, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ServiceIntervals.DeleteAsync(s, id);
                    return true;
                }, ct);
                await alarms.CheckAsync(caller.Tenant, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        var machine = app.MapGroup("/api/v1/machines/{id:long}").WithTags("Fleet");
        machine.MapGet("/services", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetMaintenance.ServicesAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The services done on a fleet machine, newest first.");
        machine.MapPost("/services", async (long id, ServiceInput input, Caller caller, Sessions sessions, LatestValues latest, ServiceAlarms alarms, CancellationToken ct) =>
            {
                var recorded = await sessions.RunAsync(caller, s => FleetMaintenance.RecordAsync(s, latest, id, input), ct);
                await alarms.CheckAsync(caller.Tenant, ct);
                return TypedResults.Created($"/api/v1/machines/{id}/services", recorded);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Record a service done: the next of that interval is due from its time and operating hours.");
        machine.MapPost("/service-visits", async (long id, ServiceVisitInput input, Caller caller, Sessions sessions, [FromServices] IEnumerable<ICalendarListener> listeners, CancellationToken ct) =>
            {
                var visit = await sessions.RunAsync(caller, s => FleetMaintenance.PlanVisitAsync(s, id, input), ct);
                foreach (var listener in listeners)
                {
                    listener.CalendarChanged(caller.Tenant);
                }

                return TypedResults.Created($"/api/v1/sites/{visit.SiteId}/calendar", visit);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Plan a service visit: a planned stop of the machine in its site's calendar.");

        app.MapGet("/api/v1/fleet/maintenance", async (string? status, double? soonHours, int? soonDays, Caller caller, Sessions sessions, LatestValues latest, CancellationToken ct) =>
            {
                if (status is not null && !Statuses.Contains(status))
                {
                    throw ApiProblem.Invalid("status", $"must be one of {string.Join(", ", Statuses)}");
                }

                if (soonHours is < 0 or > 10_000 || soonDays is < 0 or > 365)
                {
                    throw ApiProblem.Invalid("soonHours", "soonHours must be 0..10000 and soonDays 0..365");
                }

                return TypedResults.Ok(await sessions.RunAsync(caller, s => FleetMaintenance.DueAsync(s, latest, status, soonHours ?? 50, soonDays ?? 14), ct));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Each fleet machine against each service interval of its model: overdue, due soon (within soonHours, default 50, or soonDays, default 14) or ok.");
    }
}
