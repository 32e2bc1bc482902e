using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>Design projects under <c>/api/v1/design</c>: REST for projects, structure and history; the channel is a WebSocket.</summary>
internal static class DesignApi
{
    public const string Prefix = "/api/v1/design/projects";

    public static void MapDesignProjects(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup(Prefix).WithTags("Design");

        projects.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, DesignProjects.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapPost("/", async (ProjectInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var project = await sessions.RunAsync(caller, s => DesignProjects.CreateAsync(s, input), ct);
                return TypedResults.Created($"{Prefix}/{project.Id}", project);
            })
            .RequireAuthorization(Policies.Operator);

        projects.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignProjects.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        projects.MapGet("/{id:long}/structure", async (long id, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignProjects.StructureAsync(s, hub, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The product structure as the server holds it now (every node with its parent and fields) and who is looking at what.");

        projects.MapGet("/{id:long}/parameters", async (long id, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignProjects.ParametersAsync(s, hub, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every parameter and constraint as evaluated now: value and unit, or the error; whether each constraint holds.");

        projects.MapGet("/{id:long}/history", async (long id, string? node, string? field, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DesignProjects.HistoryAsync(s, hub, id, node, field), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every write of one field of one node (field=parent: every move), in stamp order, with author and time.");

        projects.MapGet("/{id:long}/channel", RunChannelAsync)
            .AllowAnonymous()
            .WithSummary("WebSocket: edit the structure together (Lamport-stamped operations, acknowledgements, presence, resync). See docs/design-workspace.md.");
    }

    /// <summary>
    /// Browsers cannot set headers on a WebSocket, so the upgrade is let through without a key and the hello carries
    /// it; plain HTTP gets the answers any tenant route gives (401, 403, 404), then is told the route speaks WebSocket.
    /// </summary>
    private static async Task RunChannelAsync(long id, HttpContext http, DesignServices services)
    {
        var headerKey = http.Request.Headers.TryGetValue("X-Api-Key", out var header) && header.Count > 0 ? header[0]
            : http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : null;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            if (headerKey is null)
            {
                throw new ApiProblem(StatusCodes.Status401Unauthorized, "Unauthorized", "An API key is required.");
            }

            var (caller, refusal) = await services.Verifier.VerifyAsync(headerKey, http.RequestAborted);
            if (caller is null)
            {
                throw new ApiProblem(StatusCodes.Status401Unauthorized, "Unauthorized", refusal!);
            }

            if (caller.TenantId is not { } tenant || caller.Role == Role.Participant)
            {
                throw ApiProblem.Forbidden("The design channel takes a key of the tenant (viewer, operator or tenant admin).");
            }

            if (!await DesignStore.ProjectExistsAsync(services.Hub.Database, tenant, id, http.RequestAborted))
            {
                throw ApiProblem.NotFound("design project", id);
            }

            throw new ApiProblem(StatusCodes.Status400BadRequest, "WebSocket required", "This is a WebSocket endpoint: connect with Upgrade: websocket.");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await new DesignConnection(socket, services, id).RunAsync(headerKey, http.RequestAborted);
    }
}
