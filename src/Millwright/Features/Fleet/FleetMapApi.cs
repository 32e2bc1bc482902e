using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>The fleet screen's data: every positioned machine with its state, and the active faults.</summary>
internal static class FleetMapApi
{
    public static void MapFleetPositions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/fleet/positions", async (Caller caller, Sessions sessions, LatestValues latest, TimeProvider clock, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetPositions.ReadAsync(s, latest, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct)))
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every machine of the tenant that reported latitude and longitude, as columns (ids, names, latitude, longitude, states, reportedAt), and the machines with an active fault_code.");
    }
}
