using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>The marketplace's REST surface under /api/v1/sharing (docs/sharing.md): offers, market, requests, inbox, bids, jobs.</summary>
internal static class SharingApi
{
    public static void MapSharing(this IEndpointRouteBuilder app)
    {
        var offers = app.MapGroup("/api/v1/sharing/offers").WithTags("Sharing");
        offers.MapGet("/", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Offers.ListAsync(s, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's own offers, with the idle hours each has now.");
        offers.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Offers.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One own offer with its idle windows, derived from the machine's plan and calendar.");
        offers.MapPost("/", async (OfferInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var offer = await sessions.RunAsync(caller, s => Offers.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/sharing/offers/{offer.Id}", offer);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Offer a machine's idle time: processes, materials, envelope, tolerance, certifications, rate, horizon and reserve.");
        offers.MapPost("/{id:long}/cancel", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Offers.CancelAsync(s, id), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Withdraw an offer: no new matches or bids; awarded jobs go on.");

        app.MapGet("/api/v1/sharing/market", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Offers.MarketAsync(s, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Sharing")
            .WithSummary("Other tenants' active offers: terms, location and record only.");
        app.MapGet("/api/v1/sharing/inbox", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, Requests.InboxAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Sharing")
            .WithSummary("Open requests of other tenants that one of the tenant's active offers fits, without the buyer's name, location or budget.");

        var requests = app.MapGroup("/api/v1/sharing/requests").WithTags("Sharing");
        requests.MapGet("/", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Requests.ListAsync(s, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer);
        requests.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Requests.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        requests.MapPost("/", async (RequestInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var request = await sessions.RunAsync(caller, s => Requests.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/sharing/requests/{request.Id}", request);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Ask the marketplace for a job: steps, material, quantity, tolerance, size, due date, budget ceiling, distance.");
        requests.MapPost("/{id:long}/cancel", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Requests.CancelAsync(s, id), ct)))
            .RequireAuthorization(Policies.Operator);
        requests.MapGet("/{id:long}/candidates", async (long id, HttpContext http, QuoteRates rates, Caller caller, Sessions sessions, CancellationToken ct) =>
                rates.Take(caller.Tenant) is { } wait
                    ? QuoteRates.TooMany(http, wait)
                    : Results.Ok(await sessions.RunAsync(caller, s => Requests.CandidatesAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Offers that can serve the request, quoted and ranked; or which constraint excluded every one.");
        requests.MapPost("/{id:long}/bids", async (long id, BidInput input, HttpContext http, QuoteRates rates, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                if (rates.Take(caller.Tenant) is { } wait)
                {
                    return QuoteRates.TooMany(http, wait);
                }

                var bid = await sessions.RunAsync(caller, s => Bids.CreateAsync(s, id, input), ct);
                return Results.Created($"/api/v1/sharing/bids/{bid.Id}", bid);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Ask one offer's provider to confirm its instant quote by the request's response deadline.");

        var bids = app.MapGroup("/api/v1/sharing/bids").WithTags("Sharing");
        bids.MapGet("/", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Bids.ListAsync(s, q, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Bids the tenant sent (role=buyer, the default) or received (role=provider).");
        bids.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Bids.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        bids.MapPost("/{id:long}/accept", async (long id, ResponseInput? input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Bids.AnswerAsync(s, id, BidStatus.Accepted, null, input?.Note), ct)))
            .RequireAuthorization(Policies.Operator);
        bids.MapPost("/{id:long}/decline", async (long id, ResponseInput? input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Bids.AnswerAsync(s, id, BidStatus.Declined, null, input?.Note), ct)))
            .RequireAuthorization(Policies.Operator);
        bids.MapPost("/{id:long}/counter", async (long id, CounterInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Bids.AnswerAsync(s, id, BidStatus.Countered, input.Price, input.Note), ct)))
            .RequireAuthorization(Policies.Operator);
        bids.MapPost("/{id:long}/award", async (long id, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var (bid, provider) = await sessions.RunAsync(caller, s => Bids.AwardAsync(s, id), ct);
                inbox.Post(new PlanRequested(provider, $"shared job {bid.Id} awarded by {bid.Buyer}"));
                return TypedResults.Ok(bid);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Award an accepted or countered bid: books the quoted machine time and puts the job into the provider's production, atomically.");

        var jobs = app.MapGroup("/api/v1/sharing/jobs").WithTags("Sharing");
        jobs.MapGet("/", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedJobs.ListAsync(s, q, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Awarded jobs the tenant bought (role=buyer) or makes (role=provider): status, counts, progress, ETA.");
        jobs.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedJobs.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        jobs.MapPost("/{id:long}/rating", async (long id, RatingInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedJobs.RateAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("The buyer's rating of a completed job (score, quality passed): the provider's record.");
        app.MapSharingExecution();
        app.MapSharingFiles();
        app.MapSharingSplits();
    }
}
