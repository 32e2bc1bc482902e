using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>A provider's offers: publish (validated field by field), list, read with idle windows, cancel; and the market view of others' offers.</summary>
internal static class Offers
{
    public static async Task<OwnOfferDto> CreateAsync(Session s, OfferInput input)
    {
        var v = new Validator();
        var machineId = v.Id("machineId", input.MachineId);
        var terms = SharingValidation.Offer(v, input);
        v.ThrowIfInvalid();
        var found = await s.QueryAsync<(long SiteId, double? Latitude, double? Longitude)>(
            """
            SELECT si.id, si.latitude, si.longitude FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            JOIN sites si ON si.tenant_id = a.tenant_id AND si.id = a.site_id
            WHERE m.tenant_id = @Tenant AND m.id = @machineId
            """,
            new { s.Tenant, machineId });
        var machine = found.Count == 1 ? found[0] : throw ApiProblem.Invalid("machineId", $"there is no machine with id {machineId}");
        if (!Geo.IsValid(machine.Latitude, machine.Longitude))
        {
            throw ApiProblem.Invalid("machineId", $"the machine's site {machine.SiteId} has no coordinates; set its latitude and longitude, which buyers' distances are measured from");
        }

        var capabilities = (await Capabilities.GetAsync(s, machineId)).Capabilities;
        for (var i = 0; i < terms.Processes.Count; i++)
        {
            if (!capabilities.Contains(terms.Processes[i], StringComparer.OrdinalIgnoreCase))
            {
                v.Add($"processes[{i}]", $"machine {machineId} does not have capability '{terms.Processes[i]}' (PUT /api/v1/machines/{machineId}/capabilities)");
            }
        }

        v.ThrowIfInvalid();
        var exact = terms.Processes.Select(p => capabilities.First(c => string.Equals(c, p, StringComparison.OrdinalIgnoreCase))).ToList();
        terms = terms with { Processes = exact, Latitude = machine.Latitude!.Value, Longitude = machine.Longitude!.Value };
        await Quota.EnsureRoomAsync(s, s.Tenant, "shared-offers", s.Quotas.SharedOffers, SharingStore.ActiveOffersCount);
        var id = await SharingStore.InsertOfferAsync(s, machineId, machine.SiteId, terms);
        var offer = await SharingStore.OwnOfferAsync(s, id) ?? throw new InvalidOperationException("the offer just written is missing");
        var windows = await IdleWindows.LoadAsync(s, offer, s.Now);
        if (windows.Count == 0)
        {
            // Refused, and rolled back with the rest: an offer that can never be matched only misleads buyers.
            throw ApiProblem.Invalid("horizonDays", $"machine {machineId} has no idle time in the next {terms.HorizonDays} days (its calendar and plan fill them, less the reserve)");
        }

        await s.AuditAsync("publish", "sharing_offer", id,
            $"offered machine {offer.Machine} for shared work: {string.Join(", ", exact)} at {terms.HourlyRate:0.##}/h, {Intervals.Total(windows) / 3_600_000.0:0.#} idle hours in {terms.HorizonDays} days");
        return AsOwnDto(offer, windows, withWindows: true);
    }

    public static async Task<Page<OwnOfferDto>> ListAsync(Session s, PageRequest page)
    {
        var rows = await SharingStore.OwnOffersAsync(s, page.After, page.Limit);
        var dtos = new Dictionary<long, OwnOfferDto>();
        foreach (var row in rows.Take(page.Limit))
        {
            var windows = row.Status == OfferStatus.Active ? await IdleWindows.LoadAsync(s, row, s.Now) : [];
            dtos[row.Id] = AsOwnDto(row, windows, withWindows: false);
        }

        return page.ToPage(rows, r => r.Id, r => dtos.GetValueOrDefault(r.Id) ?? AsOwnDto(r, [], false));
    }

    public static async Task<OwnOfferDto> GetAsync(Session s, long id)
    {
        var row = await SharingStore.OwnOfferAsync(s, id) ?? throw ApiProblem.NotFound("offer", id);
        var windows = row.Status == OfferStatus.Active ? await IdleWindows.LoadAsync(s, row, s.Now) : [];
        return AsOwnDto(row, windows, withWindows: true);
    }

    /// <summary>Stops new matches and bids; awarded work goes on (its bookings and orders are untouched).</summary>
    public static async Task<OwnOfferDto> CancelAsync(Session s, long id)
    {
        var row = await SharingStore.OwnOfferAsync(s, id) ?? throw ApiProblem.NotFound("offer", id);
        if (await SharingStore.CancelOfferAsync(s, id) == 0)
        {
            throw ApiProblem.Conflict($"Offer {id} is already {row.Status}.");
        }

        await s.AuditAsync("cancel", "sharing_offer", id, $"withdrew the offer of machine {row.Machine}; awarded shared jobs go on");
        return await GetAsync(s, id);
    }

    /// <summary>Others' active offers, as any buyer may see them: terms, location and record, never the machine.</summary>
    public static async Task<Page<MarketOfferDto>> MarketAsync(Session s, PageRequest page)
    {
        var rows = await SharingStore.MarketOffersAsync(s, page.After, page.Limit);
        var records = await SharingStore.RecordsAsync(s);
        return page.ToPage(rows, r => r.Id, r => r.AsMarketDto(records.GetValueOrDefault(r.TenantId) ?? ProviderRecord.None));
    }

    private static OwnOfferDto AsOwnDto(OfferRow r, List<Interval> windows, bool withWindows) => new(
        r.Id, r.MachineId, r.Machine, r.SiteId, r.ProcessList, r.MaterialList, r.Envelope, r.ToleranceMm, r.CertificationList, r.HourlyRate,
        r.MinimumCharge, r.TransportPerKm, r.MarginPercent, new LocationDto(r.Latitude, r.Longitude), r.HorizonDays, r.ReserveMinutes, r.Status,
        SharingJson.At(r.CreatedAt), r.CancelledAt is { } c ? SharingJson.At(c) : null, Math.Round(Intervals.Total(windows) / 3_600_000.0, 2),
        withWindows ? SharingDtosMapping.Windows(windows) : null);
}
