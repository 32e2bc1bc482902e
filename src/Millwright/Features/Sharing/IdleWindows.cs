using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>
/// An offer's idle windows, derived from the provider's own data each time they are needed, never typed in: the
/// machine's planned busy time from its site calendar (shifts less breaks, holidays and planned stops) over the
/// offer's horizon, less every job the provider's plan puts on the machine (widened by the offer's reserve on both
/// sides, so the provider's own plan can slip without running into sold time) and less the time earlier awards booked.
/// </summary>
internal static class IdleWindows
{
    /// <summary>Pieces shorter than this are not offered: a setup alone would eat them.</summary>
    public static readonly long MinimumMs = (long)TimeSpan.FromMinutes(15).TotalMilliseconds;

    /// <param name="ps">A session in the provider's tenant (<see cref="ProviderSession"/>).</param>
    public static async Task<List<Interval>> LoadAsync(Session ps, OfferRow offer, long now)
    {
        var to = now + (offer.HorizonDays * 86_400_000L);
        var calendar = await SiteCalendars.LoadAsync(ps, offer.SiteId);
        var open = calendar.PlannedFor(offer.MachineId, now, to).Busy;
        var reserve = offer.ReserveMinutes * 60_000L;
        var taken = (await ProductionStore.MachineCommitmentsAsync(ps, offer.MachineId, now))
            .Select(j => new Interval(j.Start - reserve, j.End + reserve))
            .Concat(await SharingStore.BookingsAsync(ps, offer.MachineId, now));
        return Intervals.Subtract(open, Intervals.Normalize(taken)).Where(w => w.Length >= MinimumMs).ToList();
    }

    /// <summary>Windows and the machine's measured cycle times: what a quote needs of the provider.</summary>
    public static async Task<OfferCapacity> CapacityAsync(Session ps, OfferRow offer, long now)
    {
        var windows = await LoadAsync(ps, offer, now);
        var cycles = await ProductionStore.MachineCycleTimesAsync(ps, offer.MachineId);
        return new OfferCapacity(windows, cycles.ToDictionary(c => c.Key, c => new CycleTime(c.Value.UnitSeconds, c.Value.Samples), StringComparer.Ordinal));
    }

    /// <summary>Whether every piece lies inside one of the windows (sorted, disjoint).</summary>
    public static bool Covers(IReadOnlyList<Interval> windows, IEnumerable<Interval> pieces) =>
        pieces.All(p => windows.Any(w => w.Start <= p.Start && p.End <= w.End));
}
