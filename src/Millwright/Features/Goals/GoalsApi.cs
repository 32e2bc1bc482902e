using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Goals;

internal static class GoalsApi
{
    public static void MapGoals(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/kpis/board", async ([AsParameters] GoalBoardQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => GoalBoard.GetAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("KPIs")
            .WithSummary("The goals board: production efficiency, OEE, energy per good unit, energy utilization, inventory turnover, order lead time and on-time delivery, current period against a baseline, with change and sparklines.");
}
