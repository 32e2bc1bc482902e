using Microsoft.Net.Http.Headers;
using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Scheduling.Erp;
using Millwright.Security;

namespace Millwright.Features.Erp;

internal static class ErpApi
{
    /// <summary>Large enough for <see cref="ErpOrderCsv.MaxOrders"/> orders with long fields.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    public static void MapErp(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/erp/orders").WithTags("ERP");
        orders.MapPost("/", async (HttpRequest request, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var lines = ParseOrders(await ReadCsvAsync(request, ct));
                var (result, replan) = await sessions.RunAsync(caller, s => ErpOrderImport.ImportAsync(s, lines), ct);
                if (replan)
                {
                    inbox.Post(new PlanRequested(caller.Tenant, "released orders amended by the ERP"));
                }

                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.Operator)
            .Accepts<string>("text/csv")
            .WithSummary("Import production orders from the ERP as CSV (docs/erp.md), idempotent on erp_order_number; a faulty file is refused whole with its line and column.");

        orders.MapGet("/{id:long}/performance", async (long id, Caller caller, Sessions sessions, TimeProvider clock, CancellationToken ct) =>
            {
                var performance = await sessions.RunAsync(caller, s => ProductionStore.PerformanceAsync(s, id), ct)
                    ?? throw ApiProblem.NotFound("order", id);
                return TypedResults.Bytes(B2mmlPerformance.Write(performance, clock.GetUtcNow()), "application/xml");
            })
            .RequireAuthorization(Policies.Viewer)
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .WithSummary("What happened to an order, as a B2MML ProductionPerformance document (docs/erp.md): each operation's machines, times, good and scrap counts, and the materials it consumed.");

        var webhook = app.MapGroup("/api/v1/erp/webhook").WithTags("ERP");
        webhook.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, ErpWebhooks.GetAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The ERP webhook: where each completed order is POSTed as signed B2MML ProductionPerformance (the secret is never returned).");
        webhook.MapPut("/", async (ErpWebhookInput input, Caller caller, Sessions sessions, ErpWebhooks webhooks, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => webhooks.PutAsync(s, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Sets the ERP webhook (url, secret of 16-200 characters, enabled); orders completed from its creation on are sent, each once.");
        webhook.MapDelete("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ErpWebhooks.DeleteAsync(s);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Removes the ERP webhook; deliveries not yet made are given up.");
        webhook.MapGet("/deliveries", async (int? limit, long? after, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ErpWebhooks.DeliveriesAsync(s, PageRequest.From(limit, after)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One delivery per completed order, oldest first: outcome (pending, delivered, failed), attempts, the last status code or error, the next try.");
    }

    private static IReadOnlyList<ErpOrderLine> ParseOrders(byte[] body)
    {
        try
        {
            return ErpOrderCsv.Parse(body);
        }
        catch (ErpCsvException e)
        {
            throw ErpOrderImport.Fault(e.Line, e.Column, e.ColumnName, e.Problem);
        }
    }

    private static async Task<byte[]> ReadCsvAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the order file with Content-Type: text/csv.");
        }

        if (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"The order file must be UTF-8, not {type.Charset}.");
        }

        if (request.ContentLength > MaxFileBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiProblem TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"An order file may hold at most {MaxFileBytes / (1024 * 1024)} MiB; split it.");
}
