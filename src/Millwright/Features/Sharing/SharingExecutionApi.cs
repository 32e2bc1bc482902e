using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>After the award (docs/sharing.md, "Execution"): the provider's delivery events and each side's invoice-ready records.</summary>
internal static class SharingExecutionApi
{
    public static void MapSharingExecution(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/sharing/jobs").WithTags("Sharing");
        jobs.MapGet("/{id:long}/deliveries", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedDeliveries.ListAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("A shared job's delivery events (shipped, delivered, quantities), for its provider and its buyer.");
        jobs.MapPost("/{id:long}/deliveries", async (long id, DeliveryInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var delivery = await sessions.RunAsync(caller, s => SharedDeliveries.RecordAsync(s, id, input), ct);
                return TypedResults.Created($"/api/v1/sharing/jobs/{id}/deliveries", delivery);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("The provider records parts shipped or delivered: no more shipped than made good, no more delivered than shipped.");

        var invoices = app.MapGroup("/api/v1/sharing/invoices").WithTags("Sharing");
        invoices.MapGet("/", async ([AsParameters] SharingListQuery q, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedInvoices.ListAsync(s, PageRequest.From(q.Limit, q.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's own invoice-ready records of completed shared jobs: receivable as provider, payable as buyer.");
        invoices.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharedInvoices.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
    }
}
