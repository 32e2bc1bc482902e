namespace Millwright.Features.Sharing;

/// <summary>Small mappings shared by several DTOs.</summary>
internal static class SharingDtosMapping
{
    public static RecordDto Record(ProviderRecord r) => new(
        r.Rated,
        r.Rated == 0 ? 0 : Math.Round((double)r.OnTime / r.Rated, 3),
        r.Rated == 0 ? 0 : Math.Round((double)r.QualityPassed / r.Rated, 3),
        Math.Round(r.Score, 3));

    public static BreakdownDto Breakdown(QuoteBreakdown b) => new(
        Math.Round(b.Machining, 2), Math.Round(b.MinimumTopUp, 2), Math.Round(b.Material, 2), Math.Round(b.Transport, 2), Math.Round(b.Margin, 2));

    public static IReadOnlyList<WindowDto> Windows(IEnumerable<Calendars.Interval> windows) =>
        windows.Select(w => new WindowDto(SharingJson.At(w.Start), SharingJson.At(w.End))).ToList();
}
