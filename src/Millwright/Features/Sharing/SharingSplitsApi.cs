using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>Split plans made binding (docs/sharing.md, "Awarding a split plan"): ask every leg's provider, then award all legs at once.</summary>
internal static class SharingSplitsApi
{
    public static void MapSharingSplits(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/sharing/requests/{id:long}/splits", async (long id, HttpContext http, QuoteRates rates, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                if (rates.Take(caller.Tenant) is { } wait)
                {
                    return QuoteRates.TooMany(http, wait);
                }

                var split = await sessions.RunAsync(caller, s => Splits.CreateAsync(s, id), ct);
                return Results.Created($"/api/v1/sharing/splits/{split.Id}", split);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Sharing")
            .WithSummary("Plan the request across providers and ask each leg's provider to confirm its leg (one bid per leg, answered like any bid).");

        var splits = app.MapGroup("/api/v1/sharing/splits").WithTags("Sharing");
        splits.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Splits.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The buyer's split plan: each leg's bid, status, price, machine time and transport onward.");
        splits.MapPost("/{id:long}/award", async (long id, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var (split, providers) = await sessions.RunAsync(caller, s => SplitAwards.AwardAsync(s, id), ct);
                foreach (var provider in providers)
                {
                    inbox.Post(new PlanRequested(provider, $"leg of split plan {split.Id} awarded"));
                }

                return TypedResults.Ok(split);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Award every leg of the plan at once: each leg's machine time booked and its order in the provider's production, or nothing.");
    }
}
