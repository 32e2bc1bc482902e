using System.Globalization;
using Millwright.Api;
using Millwright.Embroidery.Preview;
using Millwright.Features.Production;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Embroidery;

internal static class EmbroideryApi
{
    public const string Designs = "/api/v1/embroidery/designs";

    public static void MapEmbroidery(this IEndpointRouteBuilder app)
    {
        var designs = app.MapGroup(Designs).WithTags("Embroidery");
        designs.MapPost("/", async (HttpRequest request, string? name, string? fabric, float? widthMm, string? hoop, int? colors, Caller caller, Sessions sessions,
                DesignIntake intake, EmbroideryOptions options, CancellationToken ct) =>
            {
                var body = await ReadBodyAsync(request, options.MaxUploadBytes, ct);
                var prepared = await intake.PrepareAsync(body, request.ContentType, name, fabric, widthMm, hoop, colors, ct);
                var design = await sessions.RunAsync(caller, s => Embroidery.Designs.CreateAsync(s, prepared, options), ct);
                return TypedResults.Created($"{Designs}/{design.Id}", design);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Upload a design (body: image/svg+xml to digitize, image/png or image/jpeg to trace with ?colors=1..12, or application/x-tajima-dst) with ?name=&fabric=woven|knit|cap&widthMm=&hoop=WxH; "
                + "answers its stats, thread plan, price and preview links, or a 422 problem naming what is wrong.");
        designs.MapGet("/", async ([AsParameters] DesignQuery query, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Embroidery.Designs.ListAsync(s, PageRequest.From(query.Limit, query.After), options), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's designs, oldest first (keyset-paged by id).");
        designs.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s => (await Embroidery.Designs.RowAsync(s, id)).AsDto(options), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("One design: stats, thread plan, price, preview links.");
        designs.MapGet("/{id:long}/dst", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var (sha, data) = await sessions.RunAsync(caller, async s =>
                {
                    var row = await Embroidery.Designs.RowAsync(s, id);
                    return (row.DstSha256, await Embroidery.Designs.DstAsync(s, row));
                }, ct);
                return TypedResults.File(data, DesignIntake.DstType, $"{sha}.dst");
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The design's Tajima DST stitch file.");
        designs.MapGet("/{id:long}/exp", async (long id, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
            {
                var (sha, pattern) = await sessions.RunAsync(caller, async s =>
                {
                    var row = await Embroidery.Designs.RowAsync(s, id);
                    return (row.DstSha256, (await Embroidery.Designs.PatternAsync(s, row, options)).Pattern);
                }, ct);
                return TypedResults.File(Millwright.Embroidery.Exp.ExpWriter.Write(pattern), "application/x-melco-exp", $"{sha}.exp");
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The design's stitches as a Melco EXP file (written from its DST).");
        designs.MapGet("/{id:long}/preview.png", async (long id, float? pixelsPerMm, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
            {
                if (pixelsPerMm is < 1 or > 20 || (pixelsPerMm is { } p && !float.IsFinite(p)))
                {
                    throw ApiProblem.Invalid("pixelsPerMm", "must be from 1 to 20");
                }

                var (pattern, _) = await sessions.RunAsync(caller, async s => await Embroidery.Designs.PatternAsync(s, await Embroidery.Designs.RowAsync(s, id), options), ct);
                return TypedResults.File(StitchPreview.Png(pattern, pixelsPerMm ?? 8), "image/png");
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The stitches drawn in thread colours, as PNG (?pixelsPerMm=1..20, 8 by default).");
        designs.MapGet("/{id:long}/preview.svg", async (long id, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
            {
                var (pattern, stats) = await sessions.RunAsync(caller, async s => await Embroidery.Designs.PatternAsync(s, await Embroidery.Designs.RowAsync(s, id), options), ct);
                return TypedResults.Text(StitchPreview.Svg(pattern, stats), "image/svg+xml");
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The stitches drawn in thread colours, as SVG with the stats in its title.");
        designs.MapPost("/{id:long}/orders", async (long id, DesignOrderInput input, Caller caller, Sessions sessions, ProductionInbox inbox, EmbroideryOptions options, CancellationToken ct) =>
            {
                var placed = await sessions.RunAsync(caller, s => DesignOrders.CreateAsync(s, id, input, options), ct);
                if (placed.Order.Status == OrderStatus.Released)
                {
                    inbox.Post(new PlanRequested(caller.Tenant, $"order {placed.Order.Number} released"));
                }

                return TypedResults.Created($"/api/v1/orders/{placed.Order.Id}", placed);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Order N pieces of the design: a production order of the item whose jobs carry the design reference; with \"release\": true it is planned at once.");
        app.MapGet("/api/v1/embroidery/kpis", async (string? from, string? to, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => EmbroideryKpis.GetAsync(s, from, to, storage, ct), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Embroidery")
            .WithSummary("Stitches per running hour per head and thread breaks per million stitches per machine, and the design orders' lead time from upload to completion, over [from, to) (7 days by default).");
        designs.MapGet("/{id:long}/machines/{machineId:long}", async (long id, long machineId, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    var design = await Embroidery.Designs.RowAsync(s, id);
                    await MachineSetups.EnsureMachineAsync(s, machineId);
                    return await MachineSetups.PlanAsync(s, design, machineId, options);
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The design on a machine: its thread plan mapped onto the machine's needles (where the operator must thread one) and a piece's time there.");
        var machines = app.MapGroup("/api/v1/embroidery/machines").WithTags("Embroidery");
        machines.MapGet("/{machineId:long}", async (long machineId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => MachineSetups.GetAsync(s, machineId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("An embroidery machine's set-up: speed, stop times and the thread on each needle; 404 when none is recorded.");
        machines.MapGet("/{machineId:long}/design", async (long machineId, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    await MachineSetups.EnsureMachineAsync(s, machineId);
                    var design = await EmbroideryStore.DesignOfOrdersAsync(s, null, await ProductionStore.OrdersHeldByAsync(s, machineId))
                        ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not sewing", $"Machine {machineId} holds no job of a design order.");
                    return design.AsDto(options);
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The design the machine is sewing: of the design order whose job it holds now; 404 when it holds none.");
        machines.MapPut("/{machineId:long}", async (long machineId, MachineSetupInput input, Caller caller, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => MachineSetups.PutAsync(s, machineId, input, options), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Record an embroidery machine's set-up: {stitchesPerMinute, trimSeconds, colourChangeSeconds, rethreadSeconds, needles: [\"#rrggbb\" | null, …]}.");
        app.MapStitchFiles();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ApiProblem(StatusCodes.Status413PayloadTooLarge, "Design too large",
                    string.Create(CultureInfo.InvariantCulture, $"A design upload is at most {limit:N0} bytes."))
                {
                    Extensions = new Dictionary<string, object?> { ["problem"] = "too-complex" },
                };
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
