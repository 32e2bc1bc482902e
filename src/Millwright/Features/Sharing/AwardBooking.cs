using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The part of an award that writes in the provider's tenant, for a whole-request bid and for each leg of a split
/// plan alike: with the offer locked (<see cref="SharingStore.LockOfferAsync"/>), the idle windows are derived
/// again, every quoted piece must still lie in them, the pieces are booked and the provider's external order is
/// created. Any refusal throws a 409 and the caller's transaction writes nothing, on this leg or any other.
/// </summary>
internal static class AwardBooking
{
    /// <param name="ps">The provider's session (<see cref="ProviderSession"/>), its offer already locked.</param>
    /// <param name="leg">For a split plan's leg, the words naming it to the buyer ("Leg 2 (anodizing, Acme)"); null for a whole-request bid.</param>
    public static async Task<(long OrderId, OfferRow Offer, int Pieces)> BookAsync(Session ps, BidRow bid, RequestRow request, string? leg)
    {
        var offer = await SharingStore.OwnOfferAsync(ps, bid.OfferId) ?? throw ApiProblem.NotFound("offer", bid.OfferId);
        var capacity = await IdleWindows.CapacityAsync(ps, offer, ps.Now);
        var pieces = SharingJson.ReadWindows(bid.Windows);
        if (!IdleWindows.Covers(capacity.Windows, pieces))
        {
            // Taken by another award or by the provider's own plan since the quote: nothing is written.
            var time = $"machine time quoted in bid {bid.Id} ({SharingJson.At(bid.StartAt):O} to {SharingJson.At(bid.EndAt):O}) is no longer free";
            throw Refusal(bid, leg is null ? $"The {time}; ask for a new quote." : $"{leg}: the {time}; nothing was booked on any leg. Ask for a new split plan.");
        }

        foreach (var piece in pieces)
        {
            await SharingStore.InsertBookingAsync(ps, offer.Id, offer.MachineId, bid.Id, piece);
        }

        try
        {
            return (await ExternalOrders.CreateAsync(ps, offer, bid, request, capacity), offer, pieces.Count);
        }
        catch (ApiProblem)
        {
            // The provider's production refused the order (an item SKU or order number of its own collides): the
            // reason names the provider's data, which the buyer must never see. Everything rolls back.
            var refused = $"{bid.Provider}'s production could not take the order for bid {bid.Id}; nothing was booked or changed. Ask {bid.Provider} or another provider.";
            throw Refusal(bid, leg is null ? refused : $"{leg}: {refused}");
        }
    }

    /// <summary>A 409 that, for a leg, also names the leg's step (1-based) and bid, so a client can tell which leg to ask again.</summary>
    public static ApiProblem Refusal(BidRow bid, string detail) =>
        bid.Leg is not { } step
            ? ApiProblem.Conflict(detail)
            : new ApiProblem(StatusCodes.Status409Conflict, "Conflict", detail)
            {
                Extensions = new Dictionary<string, object?> { ["leg"] = step + 1, ["bid"] = bid.Id },
            };
}
