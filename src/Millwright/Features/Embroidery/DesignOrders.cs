using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Embroidery;

/// <summary>
/// A customized order: N pieces of a stored design, made as the item's routing says. The order's customization
/// carries the design reference every job command takes to its machine (docs/embroidery.md, "Order to machine"):
/// the stitch file's hash, the path it is fetched from with the machine's credential, size, stitches and thread plan.
/// </summary>
internal static class DesignOrders
{
    public static async Task<DesignOrderDto> CreateAsync(Session s, long designId, DesignOrderInput input, EmbroideryOptions options)
    {
        var design = await Designs.RowAsync(s, designId);
        var customization = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["embroidery"] = Reference(design) });
        var order = await Orders.CreateAsync(s, new OrderInput(
            input.Number, input.Customer, input.ItemId, input.SiteId, input.Quantity, input.DueAt, input.Priority, customization, input.Release));
        await EmbroideryStore.LinkOrderAsync(s, order.Id, design.Id);
        await DesignTiming.RetimeAsync(s, order, design, options);
        order = await Orders.GetAsync(s, order.Id);
        var price = EmbroideryPrice.Of(design, options);
        return new DesignOrderDto(order, design.Id, price.Currency, EmbroideryPrice.Total(price, order.Quantity));
    }

    /// <summary>What a machine is told of the design; the stitch file itself is fetched, never sent inline.</summary>
    public static Dictionary<string, object> Reference(DesignRow design) => new()
    {
        ["designId"] = design.Id,
        ["sha256"] = design.DstSha256,
        ["url"] = StitchFiles.PathOf(design.DstSha256),
        ["bytes"] = design.DstBytes,
        ["stitches"] = design.Stitches,
        ["colourChanges"] = design.ColourChanges,
        ["trims"] = design.Trims,
        ["widthMm"] = design.WidthMm,
        ["heightMm"] = design.HeightMm,
        ["threads"] = design.ThreadList,
    };
}
