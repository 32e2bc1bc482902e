using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Tailoring;

/// <summary>Made-to-measure over REST (docs/made-to-measure.md, "Orders over REST"): customers, orders, their files, the lead-time KPI.</summary>
internal static class TailoringApi
{
    public const string Customers = "/api/v1/c2m/customers";
    public const string Orders = "/api/v1/c2m/orders";

    public static void MapTailoring(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup(Customers).WithTags("Made-to-measure");
        customers.MapPost("/", async (CustomerInput input, Caller caller, Sessions sessions, BodyModels models, CancellationToken ct) =>
            {
                var body = Tailoring.Customers.Prepare(input, models, out var name);
                var customer = await sessions.RunAsync(caller, s => Tailoring.Customers.CreateAsync(s, name, body), ct);
                return TypedResults.Created($"{Customers}/{customer.Id}", customer);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Store a customer: name, sex and any ANSUR II measurements (mm; weightkg in tenths of a kg), checked for plausibility and completed by inference; "
                + "answers every measurement, the warnings and the base size with its alterations, or a 422 problem naming the implausible measurement.");
        customers.MapGet("/", async ([AsParameters] CustomerQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Tailoring.Customers.ListAsync(s, PageRequest.From(query.Limit, query.After)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's customers, oldest first (keyset-paged by id).");
        customers.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s => (await Tailoring.Customers.RowAsync(s, id)).AsDto(), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One customer: given and completed measurements, warnings, base size and alterations.");
        customers.MapPut("/{id:long}", async (long id, CustomerInput input, Caller caller, Sessions sessions, BodyModels models, CancellationToken ct) =>
            {
                var body = Tailoring.Customers.Prepare(input, models, out var name);
                return TypedResults.Ok(await sessions.RunAsync(caller, s => Tailoring.Customers.UpdateAsync(s, id, name, body), ct));
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Replace a customer's name, sex and measurements, checked and completed again as on creation (422 naming an implausible measurement); "
                + "orders already placed keep the body they were drafted from.");
        customers.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await Tailoring.Customers.DeleteAsync(s, id);
                    return id;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Delete a customer profile; their orders stay, with the measurements they were drafted from, no longer linked to the profile.");

        var orders = app.MapGroup(Orders).WithTags("Made-to-measure");
        orders.MapPost("/", async (MtmOrderInput input, Caller caller, Sessions sessions, BodyModels models, PatternDraft drafts, TailoringOptions options,
                ProductionInbox inbox, CancellationToken ct) =>
            {
                var placed = await MtmOrders.CreateAsync(input, caller, sessions, models, drafts, options, ct);
                if (placed.Order.Status == OrderStatus.Released)
                {
                    inbox.Post(new PlanRequested(caller.Tenant, $"order {placed.Order.Number} released"));
                }

                return TypedResults.Created($"{Orders}/{placed.Order.Id}", placed);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Order a made-to-measure garment (jacket or trousers) for a stored customer or for measurements given here: the platform picks the base size and "
                + "alterations, drafts and nests the pattern and creates a production order of one piece whose jobs carry the DXF and marker references; "
                + "with \"release\": true it is planned at once.");
        orders.MapGet("/", async ([AsParameters] MtmOrderQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    var page = PageRequest.From(query.Limit, query.After);
                    return page.ToPage(await TailoringStore.OrdersAsync(s, page.After, page.Limit), r => r.OrderId, r => r.AsDto());
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's made-to-measure garments, oldest first (keyset-paged by order id); the order itself is at /api/v1/orders/{id}.");
        orders.MapGet("/{orderId:long}", async (long orderId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s => new MtmOrderDto(
                    await Production.Orders.GetAsync(s, orderId), (await MtmOrders.RowAsync(s, orderId)).AsDto(), []), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("A made-to-measure order: the production order (status, jobs, progress) and its garment (size, alterations, marker, links).");
        MapFile(orders, "pattern.svg", PatternDraft.SvgType, r => r.SvgSha256, "The drafted pieces as SVG, for a person.");
        MapFile(orders, "marker.svg", PatternDraft.SvgType, r => r.MarkerSvgSha256, "The marker (pieces nested on the fabric) as SVG, for a person.");
        MapFile(orders, "pattern.dxf", PatternDraft.DxfType, r => r.DxfSha256, "The pieces and marker as DXF (AAMA/ASTM-style layers), for cutting software.");
        MapFile(orders, "marker.json", PatternDraft.JsonType, r => r.MarkerSha256, "The marker as JSON: each piece's placement and cut length, in cutting order.");
        app.MapGet("/api/v1/c2m/kpis", async (string? from, string? to, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => TailoringKpis.GetAsync(s, from, to), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Made-to-measure")
            .WithSummary("Lead time (release to completion) of made-to-measure orders beside standard orders completed in [from, to) (7 days by default).");
        app.MapPatternFiles();
    }

    private static void MapFile(RouteGroupBuilder orders, string name, string mediaType, Func<MtmOrderRow, string> sha, string summary) =>
        orders.MapGet($"/{{orderId:long}}/{name}", async (long orderId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var data = await sessions.RunAsync(caller, async s =>
                    await TailoringStore.FileAsync(s, sha(await MtmOrders.RowAsync(s, orderId))) ?? throw ApiProblem.NotFound("made-to-measure order", orderId), ct);
                return TypedResults.File(data, mediaType, $"order-{orderId}-{name}");
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary(summary);
}
