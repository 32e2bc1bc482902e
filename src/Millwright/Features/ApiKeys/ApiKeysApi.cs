using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.ApiKeys;

internal static class ApiKeysApi
{
    public static void MapApiKeys(this IEndpointRouteBuilder app)
    {
        // The caller's own scope: a tenant admin's tenant, or the platform for the platform admin.
        var group = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async (int? limit, long? after, bool? includeRevoked, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => ApiKeys.ListAsync(s, caller.TenantId, includeRevoked ?? false, PageRequest.From(limit, after)), ct)));

        group.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => ApiKeys.GetAsync(s, caller.TenantId, id), ct)));

        group.MapPost("/", async (ApiKeyInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var issued = await sessions.RunAsync(caller, s => ApiKeys.CreateAsync(s, caller.TenantId, input), ct);
                return TypedResults.Created($"/api/v1/api-keys/{issued.Id}", issued);
            })
            .WithSummary("Create a key. The key itself is shown only in this response.");

        group.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ApiKeys.RevokeAsync(s, caller.TenantId, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke a key; it stops working at once.");

        // The platform admin hands a tenant its keys, saying why; the tenant's admins see it in their audit log.
        app.MapPost("/api/v1/tenants/{tenantId:long}/api-keys", async (long tenantId, TenantKeyInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var issued = await sessions.RunAsync(caller, s => ApiKeys.MintForTenantAsync(s, tenantId, input), ct);
                return TypedResults.Created($"/api/v1/tenants/{tenantId}/api-keys/{issued.Id}", issued);
            })
            .WithSummary("Mint a key for a tenant; 'reason' is required and recorded in the tenant's audit log.")
            .WithTags("Tenants")
            .RequireAuthorization(Policies.PlatformAdmin);
    }
}
