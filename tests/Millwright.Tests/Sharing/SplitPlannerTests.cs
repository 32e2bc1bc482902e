using Millwright.Features.Calendars;
using Millwright.Features.Sharing;

namespace Millwright.Tests.Sharing;

/// <summary>Splitting a multi-step request across providers (docs/sharing.md, "Splitting"): who does which step when, with transport between sites.</summary>
public sealed class SplitPlannerTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Each_step_goes_to_the_offer_that_finishes_it_first_after_the_parts_travel_from_the_previous_site()
    {
        var request = Request();
        var mill = Offer(1, "milling", 48.74, 9.31);                  // near the buyer
        var anodize = Offer(2, "anodizing", 48.14, 11.58);            // Munich
        var lateAnodize = Offer(3, "anodizing", 48.74, 9.31);         // next door, but busy until 20 h
        var capacities = new Dictionary<long, OfferCapacity>
        {
            [1] = OfferCapacity.Empty([new Interval(0, 100 * Hour)]),
            [2] = OfferCapacity.Empty([new Interval(0, 100 * Hour)]),
            [3] = OfferCapacity.Empty([new Interval(20 * Hour, 100 * Hour)]),
        };

        var plan = SplitPlanner.Plan(request, [lateAnodize, anodize, mill], capacities, 0);

        Assert.Null(plan.Constraint);
        Assert.Equal([1L, 2L], plan.Legs.Select(l => l.Offer.Id));
        var (first, second) = (plan.Legs[0], plan.Legs[1]);
        // Milling: 30 min setup + 20 × 90 s = 1 h, from the 2 h lead on. Then the parts travel to Munich (1 h handling + km ÷ 50 km/h).
        Assert.Equal((2 * Hour, 3 * Hour), (first.Quote.StartAt, first.Quote.EndAt));
        var km = Geo.DistanceKm(48.74, 9.31, 48.14, 11.58);
        Assert.InRange(km, 170, 190);
        Assert.Equal(km, first.Quote.DistanceKm, 6);
        Assert.Equal(3 * Hour + Hour + (long)Math.Ceiling(km / 50 * Hour), second.Quote.StartAt);
        Assert.Equal(first.Quote.DeliveryAt, second.Quote.StartAt);
        // Anodizing: 20 × 90 s = 30 min; then to the buyer.
        Assert.Equal(second.Quote.StartAt + (Hour / 2), second.Quote.EndAt);
        var home = Geo.DistanceKm(48.14, 11.58, request.Latitude, request.Longitude);
        Assert.Equal(second.Quote.EndAt + Hour + (long)Math.Ceiling(home / 50 * Hour), plan.DeliveryAt);

        // The material is bought once, by the first provider; each leg pays its own transport onward.
        Assert.Equal((80 + 40 + km) * 1.1, first.Quote.Price, 2);
        Assert.Equal((40 + 10 + home) * 1.1, second.Quote.Price, 2);
        Assert.Equal(Math.Round(first.Quote.Price + second.Quote.Price, 2), plan.Price);
    }

    [Fact]
    public void A_step_nobody_can_do_names_the_step_and_a_late_or_dear_plan_names_the_constraint()
    {
        var capacities = new Dictionary<long, OfferCapacity> { [1] = OfferCapacity.Empty([new Interval(0, 100 * Hour)]) };
        var mill = Offer(1, "milling", 48.74, 9.31);
        var own = Offer(2, "anodizing", 48.74, 9.31) with { ProviderTenant = Request().BuyerTenant };
        capacities[2] = capacities[1];

        var plan = SplitPlanner.Plan(Request(), [mill, own], capacities, 0);
        Assert.Equal(Constraint.Process, plan.Constraint);
        Assert.Empty(plan.Legs);
        Assert.Contains("step 2 (anodizing)", plan.Explanation!, StringComparison.Ordinal);

        var both = Offer(3, "anodizing", 48.74, 9.31);
        capacities[3] = capacities[1];
        Assert.Equal(Constraint.DueDate, SplitPlanner.Plan(Request() with { DueAt = 4 * Hour }, [mill, both], capacities, 0).Constraint);
        var dear = SplitPlanner.Plan(Request() with { Budget = 100 }, [mill, both], capacities, 0);
        Assert.Equal(Constraint.Budget, dear.Constraint);
        Assert.Equal(2, dear.Legs.Count);
    }

    private static MarketRequest Request() => new(
        7, 70, [new RequestStep("milling", 30, 90), new RequestStep("anodizing", 0, 90)], "aluminium", 0.5, 20, 0.05, [40, 100, 300],
        new HashSet<string> { "iso 9001" }, DueAt: 200 * Hour, Budget: 5000, MaxDistanceKm: 300, Latitude: 48.78, Longitude: 9.18, LeadMs: 2 * Hour);

    private static MarketOffer Offer(long id, string process, double latitude, double longitude) => new(
        id, 100 + id, $"provider {id}", new HashSet<string> { process }, new Dictionary<string, double> { ["aluminium"] = 4 }, [100, 400, 500], 0.01,
        new HashSet<string> { "iso 9001" }, 80, 50, 1, 10, latitude, longitude, ProviderRecord.None);
}
