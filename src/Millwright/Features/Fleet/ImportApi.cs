using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>Other makers' AEMP feeds a tenant imports: configure, read their status, poll one now.</summary>
internal static class ImportApi
{
    public static void MapImportSources(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/fleet/import-sources").WithTags("Fleet");

        group.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok((await sessions.RunAsync(caller, ImportSources.ListAsync, ct)).Select(r => r.AsDto()).ToList()))
            .RequireAuthorization(Policies.Viewer);

        group.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok((await sessions.RunAsync(caller, s => ImportSources.GetAsync(s, id), ct)).AsDto()))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The feed and how its last poll went: lastError names the cause of a failed poll.");

        group.MapPost("/", async (ImportSourceInput input, Caller caller, Sessions sessions, SecretBox box, CancellationToken ct) =>
            {
                var row = await sessions.RunAsync(caller, s => ImportSources.CreateAsync(s, box, input), ct);
                return TypedResults.Created($"/api/v1/fleet/import-sources/{row.Id}", row.AsDto());
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Import another maker's ISO 15143-3 fleet snapshot URL (HTTP Basic credentials optional), polled through the egress policy.");

        group.MapPut("/{id:long}", async (long id, ImportSourceInput input, Caller caller, Sessions sessions, SecretBox box, CancellationToken ct) =>
                TypedResults.Ok((await sessions.RunAsync(caller, s => ImportSources.UpdateAsync(s, box, id, input), ct)).AsDto()))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Change the feed; a missing password keeps the stored one.");

        group.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ImportSources.DeleteAsync(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin);

        group.MapPost("/{id:long}/poll", async (long id, Caller caller, Sessions sessions, AempImporter importer, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, s => ImportSources.GetAsync(s, id), ct);
                return TypedResults.Ok((await importer.PollAsync(caller.Tenant, id, ct)).AsDto());
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Poll the feed now; the answer is the source's status after the poll (lastError when it failed).");
    }
}
