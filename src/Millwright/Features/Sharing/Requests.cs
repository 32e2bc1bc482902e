using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>A buyer's requests (post, list, read, cancel), their ranked candidates, and a provider's inbox of requests its offers fit.</summary>
internal static class Requests
{
    public static async Task<RequestDto> CreateAsync(Session s, RequestInput input)
    {
        var v = new Validator();
        var terms = SharingValidation.Request(v, input, s.Now);
        v.ThrowIfInvalid();
        await Quota.EnsureRoomAsync(s, s.Tenant, "shared-requests", s.Quotas.SharedRequests, SharingStore.OpenRequestsCount);
        var id = await SharingStore.InsertRequestAsync(s, terms);
        await s.AuditAsync("post", "sharing_request", id,
            $"asked the marketplace for '{terms.Title}': {terms.Quantity} × {string.Join(" → ", terms.Steps.Select(x => x.Process))} in {terms.Material}, due {SharingJson.At(terms.DueAt):O}");
        return await GetAsync(s, id);
    }

    public static async Task<Page<RequestDto>> ListAsync(Session s, PageRequest page) =>
        page.ToPage(await SharingStore.OwnRequestsAsync(s, page.After, page.Limit), r => r.Id, r => r.AsDto());

    public static async Task<RequestDto> GetAsync(Session s, long id) =>
        (await SharingStore.OwnRequestAsync(s, id) ?? throw ApiProblem.NotFound("request", id)).AsDto();

    public static async Task<RequestDto> CancelAsync(Session s, long id)
    {
        var row = await SharingStore.OwnRequestAsync(s, id) ?? throw ApiProblem.NotFound("request", id);
        if (!await SharingStore.CloseRequestAsync(s, id, RequestStatus.Cancelled))
        {
            throw ApiProblem.Conflict($"Request {id} is {row.Status}; only an open request can be cancelled.");
        }

        await SharingStore.CloseOtherBidsAsync(s, id, except: 0);
        await s.AuditAsync("cancel", "sharing_request", id, $"withdrew request '{row.Title}'");
        return await GetAsync(s, id);
    }

    /// <summary>
    /// Every other tenant's active offer, screened, quoted from its real idle windows and ranked; when none can
    /// serve, the answer counts which constraint excluded how many.
    /// </summary>
    public static async Task<CandidatesDto> CandidatesAsync(Session s, long id)
    {
        var row = await SharingStore.OwnRequestAsync(s, id) ?? throw ApiProblem.NotFound("request", id);
        if (row.Status != RequestStatus.Open)
        {
            throw ApiProblem.Conflict($"Request {id} is {row.Status}; only an open request is matched.");
        }

        var request = row.ToMarket();
        var (offers, capacities) = await MarketAsync(s, request);
        var result = new MarketIndex(offers).Match(request, o => capacities[o.Id], s.Now);
        return new CandidatesDto(id, result.Considered, result.Candidates.Select(AsDto).ToList(), result.Excluded, result.Explanation);
    }

    /// <summary>
    /// Others' active offers as the matcher sees them, and the capacity (idle windows, cycle times) of those that pass
    /// the static constraints: the provider's plan is read only for offers that could serve.
    /// </summary>
    public static async Task<(List<MarketOffer> Offers, Dictionary<long, OfferCapacity> Capacities)> MarketAsync(Session s, MarketRequest request, long? onlyOffer = null)
    {
        var records = await SharingStore.RecordsAsync(s);
        var rows = (await SharingStore.MarketOffersAsync(s)).Where(r => onlyOffer is null || r.Id == onlyOffer).ToList();
        var offers = new List<MarketOffer>();
        var capacities = new Dictionary<long, OfferCapacity>();
        foreach (var row in rows)
        {
            var offer = row.ToMarket(records.GetValueOrDefault(row.TenantId) ?? ProviderRecord.None);
            offers.Add(offer);
            if (Matcher.Screen(request, offer, out _) is null)
            {
                capacities[row.Id] = await IdleWindows.CapacityAsync(ProviderSession.For(s, row.TenantId, "a buyer's quote"), row, s.Now);
            }
        }

        return (offers, capacities);
    }

    /// <summary>Open requests of other tenants that at least one of the caller's active offers fits (static constraints), without the buyer.</summary>
    public static async Task<IReadOnlyList<InboxRequestDto>> InboxAsync(Session s)
    {
        var own = (await SharingStore.OwnOffersAsync(s, 0, 10_000)).Where(o => o.Status == OfferStatus.Active)
            .Select(o => o.ToMarket(ProviderRecord.None)).ToList();
        var inbox = new List<InboxRequestDto>();
        if (own.Count == 0)
        {
            return inbox;
        }

        foreach (var row in await SharingStore.OpenRequestsOfOthersAsync(s, s.Now))
        {
            var request = row.ToMarket();
            var fits = new List<(long Id, double Distance)>();
            foreach (var offer in own)
            {
                if (Matcher.Screen(request, offer, out var distance) is null)
                {
                    fits.Add((offer.Id, distance));
                }
            }

            if (fits.Count > 0)
            {
                inbox.Add(row.AsInboxDto(fits.Select(f => f.Id).ToList(), fits.Min(f => f.Distance)));
            }
        }

        return inbox;
    }

    private static CandidateDto AsDto(Candidate c) => new(
        c.Offer.Id, c.Offer.Provider, c.Quote.Price, SharingDtosMapping.Breakdown(c.Quote.Breakdown), Math.Round(c.Quote.Hours, 3), c.Quote.Confidence,
        Math.Round(c.Quote.DistanceKm, 1), SharingJson.At(c.Quote.StartAt), SharingJson.At(c.Quote.EndAt), SharingJson.At(c.Quote.DeliveryAt),
        Math.Round(c.Score, 4), SharingDtosMapping.Record(c.Offer.Record));
}
