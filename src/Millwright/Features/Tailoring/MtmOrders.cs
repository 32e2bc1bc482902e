using System.Globalization;
using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Security;
using Millwright.Tailoring;
using Millwright.Tailoring.Patterns;

namespace Millwright.Features.Tailoring;

/// <summary>
/// A made-to-measure order (docs/made-to-measure.md, "Orders over REST"): the body (a stored customer, or
/// measurements checked and completed here), its base size and alterations, the garment drafted and nested, the
/// files stored once by hash, and one production order of one piece whose customization tells every job's machine
/// what it works on: the cutter fetches the DXF and marker by path with its device credential, never inline.
/// </summary>
internal static class MtmOrders
{
    public static IReadOnlyList<string> Garments => GarmentBlocks.All;

    public static async Task<MtmOrderDto> CreateAsync(MtmOrderInput input, Caller caller, Sessions sessions, BodyModels models, PatternDraft drafts, TailoringOptions options, CancellationToken ct)
    {
        var v = new Validator();
        var garment = input.Garment?.ToLowerInvariant();
        if (garment is null || !Garments.Contains(garment))
        {
            v.Add("garment", "is required: jacket or trousers (menswear), skirt or trousers (womenswear)");
        }

        var fabric = input.Fabric?.Name is null ? "fabric" : v.Name("fabric.name", input.Fabric.Name);
        var width = input.Fabric?.WidthMm ?? options.DefaultFabricWidthMm;
        if (width is < 300 or > 5000 || !double.IsFinite(width))
        {
            v.Add("fabric.widthMm", "must be 300 to 5000 (mm of usable width)");
        }

        if (input.CustomerId is not null && (input.Measurements is not null || input.Sex is not null))
        {
            v.Add("customerId", "give either a stored customer or sex and measurements, not both");
        }

        var sex = input.CustomerId is null ? BodyModels.ParseSex(input.Sex) : null;
        if (input.CustomerId is null && sex is null)
        {
            v.Add("sex", "is required with measurements: male or female");
        }

        v.ThrowIfInvalid();
        CustomerRow? profile = null;
        BodyModels.Completed body;
        if (input.CustomerId is { } customerId)
        {
            profile = await sessions.RunAsync(caller, s => Customers.RowAsync(s, customerId), ct);
            body = new BodyModels.Completed(BodyModels.ParseSex(profile.Sex)!.Value, profile.GivenValues, profile.CompletedValues, []);
        }
        else
        {
            body = models.Complete(sex!.Value, input.Measurements);
        }

        if (!GarmentBlocks.For(body.Sex).Contains(garment!))
        {
            var offered = string.Join(" or ", GarmentBlocks.For(body.Sex));
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, "No pattern block for this body",
                $"There is no {(body.Sex == Sex.Male ? "menswear" : "womenswear")} {garment} block; this body can be drafted as {offered}.",
                new Dictionary<string, string[]> { ["garment"] = [$"a {BodyModels.Name(body.Sex)} body can be drafted as {offered}"] });
        }

        var drafted = await drafts.DraftAsync(body, garment!, fabric, width, ct);
        var placed = await sessions.RunAsync(caller, async s =>
        {
            foreach (var file in new[] { drafted.Dxf, drafted.MarkerJson, drafted.Svg, drafted.MarkerSvg })
            {
                await TailoringStore.PutFileAsync(s, file);
            }

            var customization = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["tailoring"] = Reference(drafted, fabric, width) });
            var order = await Orders.CreateAsync(s, new OrderInput(
                input.Number, input.Customer ?? profile?.Name, input.ItemId, input.SiteId, 1, input.DueAt, input.Priority, customization, input.Release));
            await TailoringStore.InsertOrderAsync(s, new MtmOrderRow
            {
                OrderId = order.Id,
                CustomerId = profile?.Id,
                Garment = drafted.Garment,
                Fabric = fabric,
                FabricWidthMm = width,
                Sex = BodyModels.Name(body.Sex),
                Size = drafted.Size.Size.Designation,
                Alterations = JsonSerializer.Serialize(drafted.Size.Controls.Select((c, i) => (c.Name, Math.Round(drafted.Size.Alterations[i], 1))).ToDictionary(p => p.Name, p => p.Item2)),
                Body = JsonSerializer.Serialize(body.All),
                DxfSha256 = drafted.Dxf.Sha256,
                MarkerSha256 = drafted.MarkerJson.Sha256,
                SvgSha256 = drafted.Svg.Sha256,
                MarkerSvgSha256 = drafted.MarkerSvg.Sha256,
                MarkerLengthMm = Math.Round(drafted.Marker.Length, 1),
                Efficiency = Math.Round(drafted.Marker.Efficiency, 4),
                Pieces = drafted.Pieces,
                CutLengthMm = drafted.CutLengthMm,
                SeamLengthMm = drafted.SeamLengthMm,
            });
            await GarmentTiming.RetimeAsync(s, order.Id, drafted, options);
            order = await Orders.GetAsync(s, order.Id);
            await s.AuditAsync("create", "c2m-order", order.Id, string.Create(CultureInfo.InvariantCulture,
                $"made-to-measure {drafted.Garment} for order {order.Number}: size {drafted.Size.Size.Designation}, marker {drafted.Marker.Length:0} mm at {drafted.Marker.Efficiency:P1}, dxf sha256 {drafted.Dxf.Sha256}"));
            return (order, (await TailoringStore.OrderAsync(s, order.Id))!.AsDto());
        }, ct);
        return new MtmOrderDto(placed.order, placed.Item2, body.Warnings);
    }

    public static async Task<MtmOrderRow> RowAsync(Session s, long orderId) =>
        await TailoringStore.OrderAsync(s, orderId) ?? throw ApiProblem.NotFound("made-to-measure order", orderId);

    /// <summary>
    /// What every job's machine is told (docs/made-to-measure.md, "Order to machine"): the garment, its size and
    /// lengths, and the DXF and marker by hash, size and platform path, fetched with the machine's own credential.
    /// </summary>
    private static Dictionary<string, object> Reference(PatternDraft.Drafted d, string fabric, double width) => new()
    {
        ["garment"] = d.Garment,
        ["size"] = d.Size.Size.Designation,
        ["fabric"] = fabric,
        ["fabricWidthMm"] = width,
        ["pieces"] = d.Pieces,
        ["cutLengthMm"] = d.CutLengthMm,
        ["seamLengthMm"] = d.SeamLengthMm,
        ["markerLengthMm"] = Math.Round(d.Marker.Length, 1),
        ["efficiency"] = Math.Round(d.Marker.Efficiency, 4),
        ["dxf"] = FileReference(d.Dxf),
        ["marker"] = FileReference(d.MarkerJson),
    };

    private static Dictionary<string, object> FileReference(PatternDraft.File f) => new()
    {
        ["sha256"] = f.Sha256,
        ["url"] = PatternFiles.PathOf(f.Sha256),
        ["bytes"] = (long)f.Data.Length,
    };
}
