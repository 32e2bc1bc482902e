using Millwright.Features.Calendars;
using Millwright.Features.Sharing;

namespace Millwright.Tests.Sharing;

/// <summary>
/// The indexed matcher against the exhaustive one it replaces, as a property over random markets: for every request
/// the same candidates in the same order with the same quotes and scores, the same exclusion counts, the same
/// explanation. Markets are small and dense in coincidences (few processes, materials and certifications, offers of
/// the buyer's own tenant, limits right at the edges) so that every constraint decides some cases.
/// </summary>
public sealed class MarketIndexTests
{
    private const long Hour = 3_600_000;

    private static readonly string[] Processes = ["milling", "turning", "laser", "bending", "printing"];
    private static readonly string[] Materials = ["aluminium", "steel", "abs", "brass"];
    private static readonly string[] Certifications = ["iso 9001", "en 9100", "iso 13485"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_indexed_matcher_answers_every_request_exactly_as_the_walk_over_every_offer(int seed)
    {
        var random = new Random(seed);
        for (var market = 0; market < 20; market++)
        {
            var offers = Enumerable.Range(1, 1 + random.Next(200)).Select(i => Offer(random, i)).ToList();
            var capacities = offers.ToDictionary(o => o.Id, _ => Capacity(random));
            var index = new MarketIndex(offers);
            for (var r = 0; r < 25; r++)
            {
                var request = Request(random, r, offers);
                var walked = Matcher.Match(request, offers, o => capacities[o.Id], 0);
                var indexed = index.Match(request, o => capacities[o.Id], 0);

                Assert.Equal(walked.Considered, indexed.Considered);
                Assert.Equal(walked.Candidates.Select(c => (c.Offer.Id, c.Quote.Price, c.Quote.StartAt, c.Quote.DeliveryAt, c.Score)),
                    indexed.Candidates.Select(c => (c.Offer.Id, c.Quote.Price, c.Quote.StartAt, c.Quote.DeliveryAt, c.Score)));
                Assert.Equal(walked.Excluded.OrderBy(e => e.Key, StringComparer.Ordinal), indexed.Excluded.OrderBy(e => e.Key, StringComparer.Ordinal));
                Assert.Equal(walked.Explanation, indexed.Explanation);
            }
        }
    }

    [Fact]
    public void An_offer_just_inside_the_distance_limit_along_a_meridian_is_kept_and_one_just_beyond_it_is_not()
    {
        var near = Offer(new Random(1), 1) with { Latitude = 49.0, Longitude = 9.0, Processes = new HashSet<string> { "milling" } };
        var request = Request(new Random(2), 1, [near]) with { Latitude = 48.0, Longitude = 9.0, Steps = [new RequestStep("milling", 0, 1)] };
        var meridian = Geo.DistanceKm(48.0, 9.0, 49.0, 9.0);
        foreach (var limit in new[] { meridian, meridian * (1 - 1e-12), meridian * (1 + 1e-12) })
        {
            var limited = request with { MaxDistanceKm = limit };
            var capacity = Capacity(new Random(3));
            Assert.Equal(Matcher.Match(limited, [near], _ => capacity, 0).Excluded, new MarketIndex([near]).Match(limited, _ => capacity, 0).Excluded);
        }
    }

    private static MarketOffer Offer(Random random, long id) => new(
        id, 1 + random.Next(6), $"provider {id}", Pick(random, Processes, 1 + random.Next(3)).ToHashSet(StringComparer.Ordinal),
        Pick(random, Materials, 1 + random.Next(3)).ToDictionary(m => m, _ => (double)(1 + random.Next(8)), StringComparer.Ordinal),
        [.. new double[] { 100 + random.Next(500), 100 + random.Next(500), 100 + random.Next(500) }.Order()],
        new[] { 0.01, 0.02, 0.05 }[random.Next(3)], Pick(random, Certifications, random.Next(3)).ToHashSet(StringComparer.Ordinal),
        40 + random.Next(100), random.Next(200), random.NextDouble(), random.Next(20), 45 + (random.NextDouble() * 10), 5 + (random.NextDouble() * 10),
        new ProviderRecord(random.Next(5), random.Next(3), random.Next(3)));

    private static MarketRequest Request(Random random, long id, List<MarketOffer> offers)
    {
        // Half the requests sit on an offer's exact latitude or longitude, where the latitude band and the formula meet.
        var anchor = offers[random.Next(offers.Count)];
        var latitude = random.Next(2) == 0 ? anchor.Latitude : 45 + (random.NextDouble() * 10);
        var longitude = random.Next(2) == 0 ? anchor.Longitude : 5 + (random.NextDouble() * 10);
        var steps = Pick(random, Processes, random.Next(4)).Select(p => new RequestStep(p, random.Next(60), 1 + random.Next(300))).ToList();
        return new MarketRequest(id, 1 + random.Next(6), steps, Materials[random.Next(Materials.Length)], random.NextDouble(), 1 + random.Next(100),
            new[] { 0.01, 0.02, 0.05, 0.1 }[random.Next(4)], [.. new double[] { 50 + random.Next(500), 50 + random.Next(500), 50 + random.Next(500) }.Order()],
            Pick(random, Certifications, random.Next(2)).ToHashSet(StringComparer.Ordinal), (24 + random.Next(24 * 10)) * Hour, 200 + random.Next(5000),
            random.Next(4) == 0 ? Geo.DistanceKm(latitude, longitude, anchor.Latitude, anchor.Longitude) : 20 + random.Next(600), latitude, longitude,
            random.Next(24) * Hour);
    }

    private static OfferCapacity Capacity(Random random)
    {
        var windows = new List<Interval>();
        var at = random.Next(10) * Hour;
        for (var i = 0; i < 1 + random.Next(8); i++)
        {
            var length = (1 + random.Next(20)) * Hour;
            windows.Add(new Interval(at, at + length));
            at += length + ((1 + random.Next(30)) * Hour);
        }

        return OfferCapacity.Empty(windows);
    }

    private static List<string> Pick(Random random, string[] from, int count) => from.OrderBy(_ => random.Next()).Take(count).ToList();
}
