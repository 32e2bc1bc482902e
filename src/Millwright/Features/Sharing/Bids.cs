using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// Negotiation and award: the buyer asks an offer for a quote (a bid), the provider accepts, declines or counters
/// before the deadline, and the buyer awards an answered bid. The award is atomic: it locks the offer, checks the
/// quoted machine time is still idle, books it, and creates the provider's order, in one transaction, or does nothing.
/// </summary>
internal static class Bids
{
    public static async Task<BidDto> CreateAsync(Session s, long requestId, BidInput input)
    {
        var v = new Validator();
        var offerId = v.Id("offerId", input.OfferId);
        v.ThrowIfInvalid();
        var row = await SharingStore.OwnRequestAsync(s, requestId) ?? throw ApiProblem.NotFound("request", requestId);
        if (row.Status != RequestStatus.Open || !await SharingStore.LockOpenRequestAsync(s, requestId))
        {
            throw ApiProblem.Conflict($"Request {requestId} is {(row.Status == RequestStatus.Open ? "no longer open" : row.Status)}; only an open request asks for quotes.");
        }

        var request = row.ToMarket();
        var (offers, capacities) = await Requests.MarketAsync(s, request, offerId);
        var offer = offers.SingleOrDefault() ?? throw ApiProblem.Invalid("offerId", $"there is no active offer {offerId} of another tenant");
        var failed = Matcher.Screen(request, offer, out var distance);
        Quote? quote = null;
        if (failed is null)
        {
            (quote, failed) = Matcher.QuoteFor(request, offer, capacities[offerId], distance, s.Now);
        }

        if (failed is not null)
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "Offer cannot serve the request", $"Offer {offerId} {Constraint.Explain(failed)}.")
            {
                Extensions = new Dictionary<string, object?> { ["constraint"] = failed },
            };
        }

        var respondBy = s.Now + (row.ResponseHours * 3_600_000L);
        var id = await SharingStore.InsertBidAsync(s, requestId, offer.ProviderTenant, offerId, quote!, respondBy);
        var buyer = await ProviderSession.TenantNameAsync(s, s.Tenant);
        await s.AuditAsync("ask", "sharing_bid", id, $"asked {offer.Provider} (offer {offerId}) to quote request {requestId}: {quote!.Price:0.00}, delivery {SharingJson.At(quote.DeliveryAt):O}");
        await ProviderSession.For(s, offer.ProviderTenant, buyer).AuditAsync("receive", "sharing_bid", id,
            $"{buyer} asks offer {offerId} for {row.Quantity} × '{row.Title}' at {quote.Price:0.00}; answer by {SharingJson.At(respondBy):O}");
        return await GetAsync(s, id);
    }

    public static async Task<BidDto> GetAsync(Session s, long id)
    {
        var bid = await SharingStore.BidAsync(s, id) ?? throw ApiProblem.NotFound("bid", id);
        return await AsDtoAsync(s, bid);
    }

    public static async Task<Page<BidDto>> ListAsync(Session s, SharingListQuery query, PageRequest page)
    {
        var rows = await SharingStore.BidsAsync(s, SharingRoles.IsProvider(query.Role), awarded: false, page.After, page.Limit);
        var dtos = new List<BidDto>();
        foreach (var row in rows.Take(page.Limit))
        {
            dtos.Add(await AsDtoAsync(s, row));
        }

        return page.ToPage(rows, r => r.Id, r => dtos.First(d => d.Id == r.Id));
    }

    /// <summary>The provider's answer: accepted, declined, or countered with its own price, before the deadline.</summary>
    public static async Task<BidDto> AnswerAsync(Session s, long id, string answer, double? counterPrice, string? note)
    {
        var v = new Validator();
        if (answer == BidStatus.Countered && counterPrice is not (> 0 and <= 1e9))
        {
            v.Add("price", "is required for a counter offer and must be above 0");
        }

        v.Description("note", note);
        v.ThrowIfInvalid();
        var bid = await SharingStore.BidAsync(s, id) ?? throw ApiProblem.NotFound("bid", id);
        if (bid.ProviderTenantId != s.Tenant)
        {
            throw ApiProblem.Forbidden($"Only the provider answers bid {id}; the buyer awards it.");
        }

        if (bid.ShownStatus(s.Now) != BidStatus.Pending)
        {
            throw ApiProblem.Conflict(bid.ShownStatus(s.Now) == BidStatus.Expired
                ? $"Bid {id} had to be answered by {SharingJson.At(bid.RespondBy):O}; the deadline has passed."
                : $"Bid {id} is {bid.Status}; only a pending bid is answered.");
        }

        if (!await SharingStore.AnswerBidAsync(s, id, answer, answer == BidStatus.Countered ? counterPrice : null, note))
        {
            throw ApiProblem.Conflict($"Bid {id} was answered meanwhile.");
        }

        var provider = await ProviderSession.TenantNameAsync(s, s.Tenant);
        var what = answer == BidStatus.Countered ? $"countered at {counterPrice:0.00}" : answer;
        await s.AuditAsync("answer", "sharing_bid", id, $"{what} the quote request of {bid.Buyer} for request {bid.RequestId}");
        await ProviderSession.For(s, bid.TenantId, provider).AuditAsync("answer", "sharing_bid", id, $"{provider} {what} bid {id} (request {bid.RequestId})");
        return await GetAsync(s, id);
    }

    /// <summary>Awards an answered bid; returns it with the provider and its new order, which the caller hands to the planner after commit.</summary>
    public static async Task<(BidDto Bid, long Provider)> AwardAsync(Session s, long id)
    {
        var bid = await SharingStore.BidAsync(s, id) ?? throw ApiProblem.NotFound("bid", id);
        if (bid.TenantId != s.Tenant)
        {
            throw ApiProblem.Forbidden($"Only the buyer awards bid {id}.");
        }

        if (bid.SplitId is { } split)
        {
            throw ApiProblem.Conflict($"Bid {id} is leg {bid.Leg + 1} of split plan {split}; a split plan is awarded whole (POST /api/v1/sharing/splits/{split}/award).");
        }

        if (bid.Status is not (BidStatus.Accepted or BidStatus.Countered))
        {
            throw ApiProblem.Conflict(bid.ShownStatus(s.Now) switch
            {
                BidStatus.Pending => $"Bid {id} is pending: {bid.Provider} has not answered yet.",
                BidStatus.Expired => $"Bid {id} expired unanswered at {SharingJson.At(bid.RespondBy):O}.",
                var status => $"Bid {id} is {status}; only an accepted or countered bid is awarded.",
            });
        }

        var request = await SharingStore.OwnRequestAsync(s, bid.RequestId) ?? throw ApiProblem.NotFound("request", bid.RequestId);
        // The request row is locked first, as a cancel and a bid do, so that an award and a cancel of the same
        // request never wait on each other's rows (on PostgreSQL that would be a deadlock, one of them aborted).
        if (request.Status != RequestStatus.Open || !await SharingStore.LockOpenRequestAsync(s, request.Id))
        {
            throw ApiProblem.Conflict($"Request {request.Id} is {(request.Status == RequestStatus.Open ? "no longer open" : request.Status)}; it cannot be awarded.");
        }

        if (s.Now >= bid.StartAt)
        {
            throw ApiProblem.Conflict($"The machine time quoted in bid {id} began at {SharingJson.At(bid.StartAt):O}: the quote has expired; ask for a new one.");
        }

        var buyer = await ProviderSession.TenantNameAsync(s, s.Tenant);
        var ps = ProviderSession.For(s, bid.ProviderTenantId, buyer);
        if (!await SharingStore.LockOfferAsync(ps, bid.OfferId))
        {
            throw ApiProblem.Conflict($"Offer {bid.OfferId} was withdrawn; bid {id} can no longer be awarded.");
        }

        var (orderId, offer, pieces) = await AwardBooking.BookAsync(ps, bid, request, leg: null);
        if (!await SharingStore.AwardBidAsync(s, id, orderId) || !await SharingStore.CloseRequestAsync(s, request.Id, RequestStatus.Awarded))
        {
            throw ApiProblem.Conflict($"Request {request.Id} was awarded meanwhile.");
        }

        await SharingStore.CloseOtherBidsAsync(s, request.Id, id);
        await s.AuditAsync("award", "sharing_bid", id, $"awarded request {request.Id} to {bid.Provider} at {bid.AgreedPrice:0.00}, promised by {SharingJson.At(bid.EndAt):O}");
        await ps.AuditAsync("award", "sharing_bid", id, $"{buyer} awarded bid {id} at {bid.AgreedPrice:0.00}: order SH-{id} on machine {offer.Machine}, {pieces} booked window(s)");
        return (await GetAsync(s, id), bid.ProviderTenantId);
    }

    private static async Task<BidDto> AsDtoAsync(Session s, BidRow bid)
    {
        InboxRequestDto? request = null;
        if (bid.ProviderTenantId == s.Tenant && await SharingStore.RequestOfBidAsync(s, bid) is { } r)
        {
            request = r.AsInboxDto([bid.OfferId], bid.DistanceKm, bid.Leg);
        }

        return bid.AsDto(s.Tenant, s.Now, request);
    }
}
