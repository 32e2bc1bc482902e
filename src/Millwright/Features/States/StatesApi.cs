using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.States;

internal static class StatesApi
{
    public static void MapStates(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/v1/machine-types/{typeId:long}/state-rules").WithTags("Machine states");
        rules.MapGet("/", async (long typeId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => StateRules.GetAsync(s, typeId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("How the type's state, downtime reasons and production counts are derived from its tags.");
        rules.MapPut("/", async (long typeId, StateRuleSetInput input, Caller caller, Sessions sessions, StateTracker tracker, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => StateRules.PutAsync(s, typeId, input), ct);
                tracker.Invalidate(caller.Tenant);
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Replace the type's state rules.");

        app.MapGet("/api/v1/machines/{id:long}/states", async (long id, [AsParameters] StateHistoryQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => MachineStates.HistoryAsync(s, id, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Machine states")
            .WithSummary("The machine's state intervals overlapping [from, to); the last 24 hours by default.");

        app.MapPut("/api/v1/machines/{id:long}/states/{stateId:long}/reason", async (long id, long stateId, ReasonInput input, Caller caller, Sessions sessions, StateTracker tracker, CancellationToken ct) =>
            {
                var interval = await sessions.RunAsync(caller, s => MachineStates.SetReasonAsync(s, id, stateId, input), ct);
                tracker.ReasonChanged(caller.Tenant, id, stateId, interval.Reason!);
                return TypedResults.Ok(interval);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Machine states")
            .WithSummary("An operator names the reason of a state interval (usually a downtime).");

        app.MapGet("/api/v1/states", async ([AsParameters] CurrentStatesQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => MachineStates.CurrentAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Machine states")
            .WithSummary("The current state of every machine of a site or line (all of the tenant's without a filter).");
    }
}
