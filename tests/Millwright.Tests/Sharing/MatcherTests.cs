using Millwright.Features.Calendars;
using Millwright.Features.Sharing;

namespace Millwright.Tests.Sharing;

/// <summary>The matcher and cost model alone: constraint order, window filling, prices and ranking.</summary>
public sealed class MatcherTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Work_is_laid_into_the_windows_earliest_first_and_pauses_between_them()
    {
        var windows = new List<Interval> { new(0, 2 * Hour), new(10 * Hour, 20 * Hour) };
        var pieces = QuoteModel.Fill(windows, Hour, 3 * Hour)!;
        Assert.Equal([new Interval(Hour, 2 * Hour), new Interval(10 * Hour, 12 * Hour)], pieces);
        Assert.Null(QuoteModel.Fill(windows, Hour, 12 * Hour));
    }

    [Fact]
    public void The_first_failed_constraint_is_the_one_an_offer_is_excluded_by()
    {
        var request = Request();
        Assert.Equal(Constraint.Process, Matcher.Screen(request, Offer(1) with { Processes = new HashSet<string> { "turning" } }, out _));
        Assert.Equal(Constraint.Material, Matcher.Screen(request, Offer(1) with { MaterialPricePerKg = new Dictionary<string, double> { ["steel"] = 1 } }, out _));
        Assert.Equal(Constraint.Envelope, Matcher.Screen(request, Offer(1) with { EnvelopeSorted = [50, 80, 500] }, out _));
        Assert.Equal(Constraint.Tolerance, Matcher.Screen(request, Offer(1) with { ToleranceMm = 0.1 }, out _));
        Assert.Equal(Constraint.Certification, Matcher.Screen(request, Offer(1) with { Certifications = new HashSet<string>() }, out _));
        Assert.Equal(Constraint.Distance, Matcher.Screen(request, Offer(1) with { Latitude = 52.52, Longitude = 13.40 }, out var berlin));
        Assert.InRange(berlin, 500, 530);

        // A part 300 × 40 × 100 fits an envelope 100 × 400 × 50 turned on its side.
        Assert.Null(Matcher.Screen(request, Offer(1) with { EnvelopeSorted = [50, 100, 400] }, out _));
    }

    [Fact]
    public void A_quote_prices_time_material_transport_and_margin_and_is_excluded_by_due_date_or_budget()
    {
        var request = Request();
        var offer = Offer(1);
        var capacity = OfferCapacity.Empty([new Interval(0, 100 * Hour)]);
        var (quote, excluded) = Matcher.QuoteFor(request, offer, capacity, 100, 0);
        Assert.Null(excluded);

        // 30 min setup + 20 × 90 s = 1 h at 80/h; material 20 × 0.5 kg × 4/kg; transport 100 km × 1/km; margin 10 %.
        Assert.Equal(1, quote!.Hours, 6);
        Assert.Equal((80 + 40 + 100) * 1.1, quote.Price, 6);
        Assert.Equal(2 * Hour, quote.StartAt);
        Assert.Equal(3 * Hour, quote.EndAt);
        Assert.Equal(3 * Hour + Hour + (2 * Hour), quote.DeliveryAt);

        // The provider's own cycle data (3 jobs at 45 s) halves the unit time and raises the confidence.
        var measured = capacity with { Cycles = new Dictionary<string, CycleTime> { ["milling"] = new(45, 3) } };
        var (better, _) = Matcher.QuoteFor(request, offer, measured, 100, 0);
        Assert.Equal(0.75, better!.Hours, 6);
        Assert.Equal(0.9, better.Confidence);
        Assert.Equal(0.5, quote.Confidence);

        Assert.Equal(Constraint.DueDate, Matcher.QuoteFor(request with { DueAt = 5 * Hour }, offer, capacity, 100, 0).Excluded);
        Assert.Equal(Constraint.Budget, Matcher.QuoteFor(request with { Budget = 200 }, offer, capacity, 100, 0).Excluded);
    }

    [Fact]
    public void Candidates_are_ranked_by_delivery_price_distance_and_record_and_the_unserved_are_told_why()
    {
        var request = Request();
        var soonDear = Offer(1) with { HourlyRate = 200 };
        var lateCheap = Offer(2) with { HourlyRate = 40 };
        var wrongProcess = Offer(3) with { Processes = new HashSet<string> { "turning" } };
        var own = Offer(4) with { ProviderTenant = request.BuyerTenant };
        var windows = new Dictionary<long, OfferCapacity>
        {
            [1] = OfferCapacity.Empty([new Interval(0, 100 * Hour)]),
            [2] = OfferCapacity.Empty([new Interval(40 * Hour, 100 * Hour)]),
            [4] = OfferCapacity.Empty([new Interval(0, 100 * Hour)]),
        };
        var result = Matcher.Match(request, [lateCheap, wrongProcess, soonDear, own], o => windows[o.Id], 0);
        Assert.Equal(3, result.Considered);
        Assert.Equal([1L, 2L], result.Candidates.Select(c => c.Offer.Id));
        Assert.Equal(1, result.Excluded[Constraint.Process]);
        Assert.Null(result.Explanation);

        var nobody = Matcher.Match(request with { Steps = [new RequestStep("welding", 0, 10)] }, [lateCheap, wrongProcess], o => windows[o.Id], 0);
        Assert.Empty(nobody.Candidates);
        Assert.Equal("No offer can serve this request: 2 offers excluded by process (cannot run every process the request's steps need).", nobody.Explanation);
    }

    private static MarketRequest Request() => new(
        7, 70, [new RequestStep("milling", 30, 90)], "aluminium", 0.5, 20, 0.05, [40, 100, 300], new HashSet<string> { "iso 9001" },
        DueAt: 200 * Hour, Budget: 1000, MaxDistanceKm: 300, Latitude: 48.78, Longitude: 9.18, LeadMs: 2 * Hour);

    private static MarketOffer Offer(long id) => new(
        id, 100 + id, $"provider {id}", new HashSet<string> { "milling" }, new Dictionary<string, double> { ["aluminium"] = 4 }, [100, 400, 500], 0.01,
        new HashSet<string> { "iso 9001" }, 80, 50, 1, 10, 48.74, 9.31, ProviderRecord.None);
}
