using Millwright.Api;
using Millwright.Features.Makerspace;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>Revisions, engineering change (ECR/ECO), release to manufacturing and routing templates under <c>/api/v1/design</c>.</summary>
internal static class DesignReleaseApi
{
    public static void MapDesignReleases(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup(DesignApi.Prefix).WithTags("Design");

        projects.MapGet("/{id:long}/revisions", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignRevisions.ListAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapPost("/{id:long}/revisions", async (long id, RevisionInput input, Caller caller, Sessions sessions, DesignHub hub, NotificationBell bell, CancellationToken ct) =>
            {
                var revision = await DesignRevisions.ReleaseAsync(sessions, caller, hub, id, input, ct);
                bell.Ring(caller.Tenant);
                return TypedResults.Created($"{DesignApi.Prefix}/{id}/revisions/{revision.Number}", revision);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Release the structure as it is stored now as an immutable revision; after the first, name the approved change order it implements.");

        projects.MapGet("/{id:long}/revisions/{number:long}", async (long id, long number, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignRevisions.GetAsync(s, id, number), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapGet("/{id:long}/diff", async (long id, long? from, long? to, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignRevisions.DiffAsync(s, id, from, to), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("What changed between two released revisions: nodes added, removed, moved; fields and computed values changed.");

        projects.MapPost("/{id:long}/revisions/{number:long}/manufacture", async (long id, long number, Caller caller, Sessions sessions, NotificationBell bell, CancellationToken ct) =>
            {
                var released = await sessions.RunAsync(caller, s => ManufacturingRelease.ReleaseAsync(s, id, number), ct);
                bell.Ring(caller.Tenant);
                return TypedResults.Ok(released);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Release a revision to manufacturing: items, material items and routings from templates, in one transaction; again: nothing changes.");

        projects.MapGet("/{id:long}/reviewers", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignChanges.ReviewersAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapPost("/{id:long}/reviewers", async (long id, ReviewerInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignChanges.AssignAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Name a reviewer (an API key of the tenant, by id) for a role (design, quality, manufacturing, ...) on this project.");

        projects.MapGet("/{id:long}/changes", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignChanges.ListAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapPost("/{id:long}/changes", async (long id, ChangeInput input, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
            {
                var change = await sessions.RunAsync(caller, s => DesignChanges.RequestAsync(s, hub, id, input), ct);
                return TypedResults.Created($"{DesignApi.Prefix}/{id}/changes/{change.Id}", change);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Request a change: title, reason, the parts it touches (the impact list adds assemblies above and production items) and the reviewing roles.");

        projects.MapGet("/{id:long}/changes/{changeId:long}", async (long id, long changeId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignChanges.GetAsync(s, id, changeId), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapPost("/{id:long}/changes/{changeId:long}/reviews", async (long id, long changeId, ReviewInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignChanges.ReviewAsync(s, id, changeId, input), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("A reviewer's verdict for one role (approve, or reject with a note); approved by every role, the request is a change order.");

        var design = app.MapGroup("/api/v1/design").WithTags("Design");
        design.MapGet("/routing-templates", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, RoutingTemplates.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer);

        design.MapPut("/routing-templates/{partType}", async (string partType, RoutingInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => RoutingTemplates.PutAsync(s, partType, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin);

        design.MapGet("/kpis/cycle", async (string? baselineFrom, string? baselineTo, string? currentFrom, string? currentTo, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DevelopmentCycle.BoardAsync(s, baselineFrom, baselineTo, currentFrom, currentTo), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The development cycle (idea or project start to first release to manufacturing, then to the first good unit) per project and family, baseline against current, and lead indicators.");

        design.MapGet("/items/{itemId:long}/origin", async (long itemId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ManufacturingRelease.OriginAsync(s, itemId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The design project, node and revision a production item was released from.");
    }
}
