using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Inventory;

internal static class InventoryApi
{
    public static void MapInventory(this IEndpointRouteBuilder app)
    {
        app.MapCrud("inventory-items", "Inventory", InventoryItems.Operations);
        var group = app.MapGroup("/api/v1/inventory").WithTags("Inventory");

        group.MapGet("/movements", async ([AsParameters] MovementQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => InventoryMovements.ListAsync(s, query, PageRequest.From(query.Limit, query.After)), ct)))
            .RequireAuthorization(Policies.Viewer);

        group.MapPost("/movements", async (MovementInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var movement = await sessions.RunAsync(caller, s => InventoryMovements.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/inventory/movements?after={movement.Id - 1}&limit=1", movement);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Record a receipt or an issue; refused when it would take stock below zero at any time.");

        group.MapGet("/stock", async ([AsParameters] StockQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => InventoryMovements.StockAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Current stock and value per item and site.");

        group.MapGet("/turnover", async ([AsParameters] TurnoverQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => InventoryMovements.TurnoverAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Inventory turnover over [from, to): cost of goods issued / average inventory value.");
    }
}
