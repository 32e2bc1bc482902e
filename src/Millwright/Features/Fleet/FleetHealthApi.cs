using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>
/// GET /api/v1/fleet/health: the tenant's fleet data in one look, "ok" or "degraded" with every failing AEMP feed
/// and its cause. Alarms belong to machines, so a feed that fails before it ever delivered a machine raises none:
/// this is where its error shows besides the source itself; the fleet screen lists these feeds beside its faults.
/// </summary>
internal static class FleetHealthApi
{
    public static void MapFleetHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/fleet/health", async (Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var sources = await sessions.RunAsync(caller, ImportSources.ListAsync, ct);
                var failing = sources.Where(r => r.LastError is not null)
                    .Select(r => new FailingFeedDto(r.Id, r.Name, r.LastError!, r.Failures, r.Machines,
                        r.LastAttemptAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
                        r.LastSuccessAt is { } ok ? DateTimeOffset.FromUnixTimeMilliseconds(ok) : null,
                        r.LastSuccessAt is null && r.Machines == 0))
                    .ToList();
                return TypedResults.Ok(new FleetHealthDto(failing.Count == 0 ? "ok" : "degraded", sources.Count, failing));
            })
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("ok, or degraded with each failing AEMP feed and its cause (also feeds that never delivered a machine, which raise no alarm).");
}
