using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>Working, idle and off hours, fuel per working hour and idle ratio per fleet machine and job site; a machine's timeline.</summary>
internal static class UtilizationApi
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>The fleet-wide figures read every machine's counters: at most this many machines a request.</summary>
    public const int MaxMachines = 5000;

    public static void MapUtilization(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/fleet/utilization", async (string? from, string? to, Caller caller, Sessions sessions, FleetUtilization utilization, TimeProvider clock, CancellationToken ct) =>
            {
                var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, clock.GetUtcNow().ToUnixTimeMilliseconds());
                var (fleet, index) = await sessions.RunAsync(caller, async s =>
                {
                    var (items, total) = await FleetEquipment.PageAsync(s, 1, MaxMachines);
                    return total > MaxMachines
                        ? throw ApiProblem.Invalid("from", $"the fleet has {total} machines; fleet-wide utilization reads at most {MaxMachines}: ask per machine")
                        : (items, await GeofenceIndex.LoadAsync(s));
                }, ct);
                return TypedResults.Ok(await utilization.FleetAsync(caller.Tenant, fleet, index, range, ct));
            })
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Per fleet machine and per job site or depot: working, idle, off hours, fuel per working hour, idle ratio in [from, to) (default the last 24 h, at most 31 days).");

        app.MapGet("/api/v1/machines/{id:long}/utilization", async (long id, string? from, string? to, Caller caller, Sessions sessions, FleetUtilization utilization, TimeProvider clock, CancellationToken ct) =>
            {
                var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, clock.GetUtcNow().ToUnixTimeMilliseconds());
                var machine = await sessions.RunAsync(caller, s => FleetEquipment.GetAsync(s, id), ct);
                return TypedResults.Ok(await utilization.MachineAsync(caller.Tenant, machine, range, ct));
            })
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One fleet machine's figures and its timeline (working, idle, off, no_data spans) in [from, to).");
    }
}
