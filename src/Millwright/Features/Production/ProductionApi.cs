using Microsoft.AspNetCore.Mvc;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Security;

namespace Millwright.Features.Production;

internal static class ProductionApi
{
    public static void MapProduction(this IEndpointRouteBuilder app)
    {
        var capabilities = app.MapGroup("/api/v1").WithTags("Production");
        capabilities.MapGet("/capabilities", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, Capabilities.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every machine capability of the tenant and how many machines have it.");
        capabilities.MapGet("/machines/{id:long}/capabilities", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Capabilities.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        capabilities.MapPut("/machines/{id:long}/capabilities", async (long id, CapabilitiesInput input, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => Capabilities.PutAsync(s, id, input), ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"capabilities of machine {id} changed"));
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace what the machine can do (names that routings ask for).");

        var routing = app.MapGroup("/api/v1/items/{itemId:long}/routing").WithTags("Production");
        routing.MapGet("/", async (long itemId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Routings.GetAsync(s, itemId), ct)))
            .RequireAuthorization(Policies.Viewer);
        routing.MapPut("/", async (long itemId, RoutingInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Routings.PutAsync(s, itemId, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace how the item is made: operations, capabilities, setup and unit times, materials; orders already taken keep their copy.");
        routing.MapDelete("/", async (long itemId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s => { await Routings.DeleteAsync(s, itemId); return true; }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin);

        var orders = app.MapGroup("/api/v1/orders").WithTags("Production");
        orders.MapGet("/", async ([AsParameters] OrderQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Orders.ListAsync(s, query, PageRequest.From(query.Limit, query.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Orders with status, progress and ETA.");
        orders.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Orders.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One order with its jobs: plan (machine, planned times) and actual (dispatch, start, end, counts).");
        orders.MapPost("/", async (OrderInput input, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var order = await sessions.RunAsync(caller, s => Orders.CreateAsync(s, input), ct);
                if (order.Status == OrderStatus.Released)
                {
                    inbox.Post(new PlanRequested(caller.Tenant, $"order {order.Number} released"));
                }

                return TypedResults.Created($"/api/v1/orders/{order.Id}", order);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Take an order; its item's routing becomes its jobs. With \"release\": true it goes to the planner at once.");
        orders.MapPost("/{id:long}/release", async (long id, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var order = await sessions.RunAsync(caller, s => Orders.ReleaseAsync(s, id), ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"order {order.Number} released"));
                return TypedResults.Ok(order);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Hand a planned order to the planner; refused when no machine can run an operation or the site lacks materials.");
        orders.MapPost("/{id:long}/cancel", async (long id, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var (order, held) = await sessions.RunAsync(caller, s => Orders.CancelAsync(s, id), ct);
                inbox.Post(new JobsCancelled(caller.Tenant, held, $"order {order.Number} cancelled"));
                inbox.Post(new PlanRequested(caller.Tenant, $"order {order.Number} cancelled"));
                return TypedResults.Ok(order);
            })
            .RequireAuthorization(Policies.Operator);

        var schedule = app.MapGroup("/api/v1/schedule").WithTags("Production");
        schedule.MapGet("/", async ([AsParameters] ScheduleQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ScheduleView.GetAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Jobs planned or run in [from, to), per machine: plan against actual, for a Gantt chart.");
        schedule.MapGet("/changes", async ([AsParameters] PlanRevisionQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s =>
                {
                    var range = TimeRange.Of(query.From, query.To ?? new ZonedTime(s.Now + 1), s.Now, ProductionStore.RevisionsKept + TimeSpan.FromDays(1));
                    if (query.Limit is < 1 or > 500)
                    {
                        throw ApiProblem.Invalid("limit", "must be 1..500");
                    }

                    return ProductionStore.RevisionsAsync(s, range.From, range.To, query.Limit ?? 100);
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("What each re-plan in [from, to) changed (default: the last day), newest first: which waiting jobs moved machine or start, by how much, and why.");
        schedule.MapPost("/replan", (Caller caller, ProductionInbox inbox) =>
            {
                inbox.Post(new PlanRequested(caller.Tenant, $"requested by {caller.Actor}"));
                return TypedResults.Accepted("/api/v1/schedule");
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Plan the open orders again now.");
        schedule.MapPost("/what-if", async (WhatIfInput input, Caller caller, WhatIfPlanner whatIf, CancellationToken ct) =>
                TypedResults.Ok(await whatIf.AskAsync(caller, input, ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Plans a what-if (machines removed, rush orders added, overtime on a line) beside the followed plan without changing it, and compares the two: tardiness, makespan, utilization, moved jobs.");
        schedule.MapPost("/what-if/{id:long}/apply", async (long id, Caller caller, Sessions sessions, [FromServices] IEnumerable<ICalendarListener> listeners, CancellationToken ct) =>
            {
                var applied = await sessions.RunAsync(caller, s => WhatIfApply.ApplyAsync(s, id), ct);
                if (applied.StoppedMachines.Count + applied.OvertimeLines.Count > 0)
                {
                    // The site calendars changed: whoever caches them reloads.
                    foreach (var listener in listeners)
                    {
                        listener.CalendarChanged(caller.Tenant);
                    }
                }

                return TypedResults.Ok(applied);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Applies a what-if: rush orders created, removed machines stopped and overtime added in their site calendars, jobs placed as it planned; refused with the reason when the plan changed since it was asked.");

        app.MapGet("/api/v1/production/kpis", async ([AsParameters] ProductionKpiQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ProductionKpis.GetAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Production")
            .WithSummary("Lead time, on-time delivery, work in progress and schedule adherence over [from, to).");
    }
}
