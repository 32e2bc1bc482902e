using Millwright.Api;
using Millwright.Features.Inventory;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>
/// An award entering the provider's production: an item for the buyer's parts, and a released order of one job
/// per step, all on the offered machine, due when the quote promised the work done. From there the provider's
/// planner plans and dispatches it like any other order (docs/production.md).
/// </summary>
internal static class ExternalOrders
{
    /// <param name="ps">The provider's session (<see cref="ProviderSession"/>).</param>
    /// <remarks>A split plan's leg (<see cref="BidRow.Leg"/>) brings only its own step of the request into the order.</remarks>
    public static async Task<long> CreateAsync(Session ps, OfferRow offer, BidRow bid, RequestRow request, OfferCapacity capacity)
    {
        var all = request.StepList;
        var first = bid.Leg ?? 0;
        IReadOnlyList<StepDto> steps = bid.Leg is { } leg ? [all[leg]] : all;
        var of = bid.Leg is { } l ? $", step {l + 1} of {all.Count}" : "";
        var item = await InventoryItems.CreateAsync(ps, new ItemInput($"SHARED-{bid.Id}", Trim($"{request.Title} (shared job {bid.Id} for {bid.Buyer})"), "count", 0));
        var number = $"SH-{bid.Id}";
        var orderId = await ProductionStore.InsertOrderAsync(ps, number, Trim($"{bid.Buyer} (shared request {request.Id}{of})"), item.Id, offer.SiteId,
            request.Quantity, bid.EndAt, priority: 50, customization: null, $"An order numbered '{number}' already exists.");
        var machines = JobRow.ToJson(new[] { offer.MachineId });
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var capability = offer.ProcessList.First(p => string.Equals(p, step.Process, StringComparison.OrdinalIgnoreCase));
            // The provider's own cycle time where it has one, as the quote used; else the buyer's estimate.
            var unitSeconds = capacity.Cycles.TryGetValue(capability.ToLowerInvariant(), out var cycle) && cycle.Samples > 0 ? cycle.UnitSeconds : step.UnitSeconds;
            await ProductionStore.InsertJobAsync(ps, orderId, i, $"{(first + i + 1) * 10} {step.Process}", capability, program: "",
                (long)Math.Round(step.SetupMinutes * 60_000), Math.Max(1, (long)Math.Round(unitSeconds * 1000)), request.Quantity, machines, materials: null);
        }

        await ProductionStore.ReleaseOrderAsync(ps, orderId);
        await ps.AuditAsync("create", "order", orderId, $"shared order {number}: {request.Quantity} × '{request.Title}'{of} for {bid.Buyer}, due {SharingJson.At(bid.EndAt):O}, released");
        return orderId;
    }

    private static string Trim(string text) => text.Length <= Validator.NameMax ? text : text[..Validator.NameMax];
}
