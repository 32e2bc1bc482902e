using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>The stored allocation: machines' allocation profiles, job sites' requests, and plan revisions (docs/fleet.md, "Stored requests and plans").</summary>
internal static class AllocationApi
{
    public static void MapAllocation(this IEndpointRouteBuilder app)
    {
        var profile = app.MapGroup("/api/v1/machines/{id:long}/allocation-profile").WithTags("Fleet");
        profile.MapGet("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AllocationProfiles.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        profile.MapPut("/", async (long id, AllocationProfileInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AllocationProfiles.PutAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Offer a fleet machine to the stored allocation: its category (machine type), capabilities and daily rate.");
        profile.MapDelete("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await AllocationProfiles.DeleteAsync(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        var requests = app.MapGroup("/api/v1/fleet/site-requests").WithTags("Fleet");
        requests.MapGet("/", async (string? status, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                if (status is not null && !SiteRequests.Statuses.Contains(status))
                {
                    throw ApiProblem.Invalid("status", $"must be one of {string.Join(", ", SiteRequests.Statuses)}");
                }

                return TypedResults.Ok(await sessions.RunAsync(caller, s => SiteRequests.ListAsync(s, status), ct));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Job sites' requests for machines, by start; ?status=open or cancelled.");
        requests.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SiteRequests.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        requests.MapPost("/", async (SiteRequestInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var created = await sessions.RunAsync(caller, s => SiteRequests.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/fleet/site-requests/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("A job site asks for one machine of a type with at least the given capabilities over [from, to); refused when no machine of the fleet could serve it.");
        requests.MapPut("/{id:long}", async (long id, SiteRequestInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SiteRequests.UpdateAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Change an open request; the next plan revision re-plans it.");
        requests.MapPost("/{id:long}/cancel", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SiteRequests.CancelAsync(s, id), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Cancel a request; the next plan revision leaves it out.");

        var operators = app.MapGroup("/api/v1/fleet/operators").WithTags("Fleet");
        operators.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, FleetOperators.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Machine operators with their licences (machine type, validity) and absences.");
        operators.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetOperators.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        operators.MapPost("/", async (OperatorInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var created = await sessions.RunAsync(caller, s => FleetOperators.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/fleet/operators/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Add an operator; a licence for a machine type the fleet does not have, or overlapping absences, are refused.");
        operators.MapPut("/{id:long}", async (long id, OperatorInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetOperators.UpdateAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Replace an operator's name, licences and absences.");
        operators.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await FleetOperators.DeleteAsync(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        var plans = app.MapGroup("/api/v1/fleet/allocation-plans").WithTags("Fleet");
        plans.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, AllocationPlans.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The allocation plan revisions, newest first.");
        plans.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AllocationPlans.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("A plan revision with per-assignment cost, operator and dispatch state, the total, unserved requests and skipped machines.");
        plans.MapPost("/", async (AllocationPlanInput input, Caller caller, Sessions sessions, LatestValues latest, CancellationToken ct) =>
            {
                var created = await sessions.RunAsync(caller, s => AllocationPlans.CreateAsync(s, latest, input), ct);
                return TypedResults.Created($"/api/v1/fleet/allocation-plans/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Plan the open requests (exact: most served, then least cost); with an earlier revision, re-plan from the plan in force with a change penalty.");
        plans.MapPost("/{id:long}/accept", async (long id, Caller caller, Sessions sessions, FleetDispatch dispatch, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, s => AllocationPlans.AcceptAsync(s, id), ct);
                // Sent after the acceptance is committed, so a machine never gets work from a plan that did not become the plan in force.
                var releases = await sessions.RunAsync(caller, s => dispatch.SendPlanAsync(s, id, ct), ct);
                await dispatch.SendReleasesAsync(sessions, caller, releases, ct);
                return TypedResults.Ok(await sessions.RunAsync(caller, s => AllocationPlans.GetAsync(s, id), ct));
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Accept the latest revision: it supersedes the plan in force, and each assignment is sent to its machine as a fleet.dispatch command (sent / failed, then acknowledged by the machine).");
    }
}
