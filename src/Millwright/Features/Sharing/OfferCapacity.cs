using Millwright.Features.Calendars;

namespace Millwright.Features.Sharing;

/// <summary>
/// What a quote needs of the provider's own data: the machine's idle windows (from its plan and calendar, sorted
/// and disjoint, Unix ms) and its measured unit time per process (seconds, and how many past jobs gave it).
/// </summary>
internal sealed record OfferCapacity(IReadOnlyList<Interval> Windows, IReadOnlyDictionary<string, CycleTime> Cycles)
{
    public static OfferCapacity Empty(IReadOnlyList<Interval> windows) => new(windows, new Dictionary<string, CycleTime>());
}
