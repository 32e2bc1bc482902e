using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Production;

/// <summary>Setup families over REST: the tenant's families and matrix, and the family of a program or an item. A change re-plans.</summary>
internal static class SetupFamiliesApi
{
    public static void MapSetupFamilies(this IEndpointRouteBuilder app)
    {
        var families = app.MapGroup("/api/v1/schedule/setup-families").WithTags("Production");
        families.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, SetupFamilyStore.GetAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's setup families, the setup minutes between them, the programs and items filed under them, and the family pairs learned per machine.");
        families.MapPut("/", async (SetupFamiliesInput input, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => SetupFamilyStore.PutAsync(s, input), ct);
                inbox.Post(new PlanRequested(caller.Tenant, "setup families changed"));
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace the setup families and the matrix of setup minutes between them (pairs left out fall back to the routing's setup).");
        families.MapPut("/programs/{program}", async (string program, FamilyAssignmentInput input, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => SetupFamilyStore.PutProgramAsync(s, program, input), ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"setup family of program {result.Program} changed"));
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("File a program under a setup family (a program's family comes before its item's).");
        families.MapDelete("/programs/{program}", async (string program, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s => { await SetupFamilyStore.DeleteProgramAsync(s, program); return true; }, ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"setup family of program {program} removed"));
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin);

        var item = app.MapGroup("/api/v1/items/{itemId:long}/setup-family").WithTags("Production");
        item.MapGet("/", async (long itemId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SetupFamilyStore.GetItemAsync(s, itemId), ct)))
            .RequireAuthorization(Policies.Viewer);
        item.MapPut("/", async (long itemId, FamilyAssignmentInput input, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => SetupFamilyStore.PutItemAsync(s, itemId, input), ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"setup family of item {itemId} changed"));
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("File an item under a setup family: every operation of its routing whose program has no family of its own.");
        item.MapDelete("/", async (long itemId, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s => { await SetupFamilyStore.DeleteItemAsync(s, itemId); return true; }, ct);
                inbox.Post(new PlanRequested(caller.Tenant, $"setup family of item {itemId} removed"));
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin);
    }
}
