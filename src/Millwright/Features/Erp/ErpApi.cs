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

    /// <summary>B2MML says in elements what CSV says in commas: 10,000 orders take about four times the bytes.</summary>
    public const int MaxXmlBytes = 16 * 1024 * 1024;

    public static void MapErp(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/erp/orders").WithTags("ERP");
        orders.MapPost("/", async (HttpRequest request, Caller caller, Sessions sessions, ProductionInbox inbox, CancellationToken ct) =>
            {
                var (body, xml) = await ReadBodyAsync(request, "the order file", csv: true, ct);
                var lines = xml ? ReadB2mml(body, b => B2mmlSchedule.Read(b)) : ParseOrders(body);
                var (result, replan) = await sessions.RunAsync(caller, s => ErpOrderImport.ImportAsync(s, lines), ct);
                if (replan)
                {
                    inbox.Post(new PlanRequested(caller.Tenant, "released orders amended by the ERP"));
                }

                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.Operator)
            .Accepts<string>("text/csv", "application/xml")
            .WithSummary("Import production orders from the ERP as CSV or as a B2MML ProductionSchedule (docs/erp.md), idempotent on the ERP's order number; a faulty file is refused whole with its line and column (CSV) or element path (B2MML).");

        orders.MapGet("/{id:long}/performance", async (long id, Caller caller, Sessions sessions, TimeProvider clock, CancellationToken ct) =>
            {
                var performance = await sessions.RunAsync(caller, s => ProductionStore.PerformanceAsync(s, id), ct)
                    ?? throw ApiProblem.NotFound("order", id);
                return TypedResults.Bytes(B2mmlPerformance.Write(performance, clock.GetUtcNow()), "application/xml");
            })
            .RequireAuthorization(Policies.Viewer)
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .WithSummary("What happened to an order, as a B2MML ProductionPerformance document (docs/erp.md): each operation's machines, times, good and scrap counts, and the materials it consumed.");

        var materials = app.MapGroup("/api/v1/erp/materials").WithTags("ERP");
        materials.MapPost("/", async (HttpRequest request, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var (body, _) = await ReadBodyAsync(request, "the material master data", csv: false, ct);
                var read = ReadB2mml(body, b => B2mmlMaterials.Read(b));
                return TypedResults.Ok(await sessions.RunAsync(caller, s => ErpMaterialImport.ImportAsync(s, read), ct));
            })
            .RequireAuthorization(Policies.Operator)
            .Accepts<string>("application/xml")
            .WithSummary("Import material master data from the ERP as B2MML MaterialInformation or MaterialDefinition (docs/erp.md): inventory items with descriptions, units, costs and classes, idempotent on the material ID; a faulty document is refused whole with its element path.");
        materials.MapGet("/", async (Caller caller, Sessions sessions, TimeProvider clock, CancellationToken ct) =>
            {
                var list = await sessions.RunAsync(caller, ErpMaterialImport.ListAsync, ct);
                return TypedResults.Bytes(B2mmlMaterials.Write("inventory", list.Select(m => m.Material).ToList(), clock.GetUtcNow()), "application/xml");
            })
            .RequireAuthorization(Policies.Viewer)
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .WithSummary("The tenant's inventory items as B2MML MaterialInformation (docs/erp.md), in the shape the import takes.");

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

    private static T ReadB2mml<T>(byte[] body, Func<byte[], T> read)
    {
        try
        {
            return read(body);
        }
        catch (B2mmlException e)
        {
            throw B2mmlFault.From(e);
        }
    }

    /// <summary>The body and whether it is XML (B2MML; its own declaration names its encoding) rather than UTF-8 CSV.</summary>
    private static async Task<(byte[] Body, bool Xml)> ReadBodyAsync(HttpRequest request, string what, bool csv, CancellationToken ct)
    {
        var media = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value?.ToLowerInvariant() : null;
        var xml = media is "application/xml" or "text/xml";
        if (!xml && !(csv && media == "text/csv"))
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                csv ? $"Send {what} with Content-Type: text/csv or, as B2MML, application/xml." : $"Send {what} as B2MML with Content-Type: application/xml.");
        }

        if (!xml && type!.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"The order file must be UTF-8, not {type.Charset}.");
        }

        var limit = xml ? MaxXmlBytes : MaxFileBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), xml);
    }

    private static ApiProblem TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"This ERP file may hold at most {limit / (1024 * 1024)} MiB; split it.");
}
