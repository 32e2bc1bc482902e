using System.Diagnostics;
using Millwright.Features.Calendars;
using Millwright.Features.Sharing;

namespace Millwright.Bench;

/// <summary>
/// Ranking at market scale (issue 16): each of <c>requests</c> requests, on its own, screened, quoted from the idle
/// windows and ranked against <c>offers</c> offers, with the same <see cref="Matcher"/> the REST API uses. Offers and
/// their windows are generated up front (the API derives windows from the store; this measures the matching).
/// </summary>
internal static class SharingRank
{
    private static readonly string[] Processes = ["3-axis-milling", "5-axis-milling", "turning", "laser-cutting", "bending", "injection-moulding", "sand-3d-printing", "embroidery"];
    private static readonly string[] Materials = ["aluminium", "steel", "stainless", "brass", "abs", "pa6", "sand", "cotton"];
    private static readonly string[] Certifications = ["iso 9001", "iatf 16949", "en 9100", "iso 13485"];

    public static string Run(int requestCount, int offerCount, int seed, Action<string> progress)
    {
        var random = new Random(seed);
        var now = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var offers = new List<MarketOffer>(offerCount);
        var capacities = new Dictionary<long, OfferCapacity>(offerCount);
        for (var i = 1; i <= offerCount; i++)
        {
            offers.Add(Offer(random, i));
            capacities[i] = new OfferCapacity(Windows(random, now), new Dictionary<string, CycleTime>());
        }

        var requests = Enumerable.Range(1, requestCount).Select(i => Request(random, i, now)).ToList();
        progress($"sharing-rank: {offerCount} offers ({capacities.Values.Sum(c => c.Windows.Count)} idle windows), {requestCount} requests; warming up");
        var index = new MarketIndex(offers);
        foreach (var request in requests.Take(20))
        {
            index.Match(request, o => capacities[o.Id], now);
        }

        // What is measured: the indexed matcher, as the API runs it, each request on its own.
        var feasible = 0L;
        var unserved = 0;
        var results = new List<RankResult>(requestCount);
        // Wall time and this process's CPU time: on a shared, loaded machine the wall time mostly measures the wait for a core.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            var result = index.Match(request, o => capacities[o.Id], now);
            feasible += result.Candidates.Count;
            unserved += result.Candidates.Count == 0 ? 1 : 0;
            results.Add(result);
        }

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        // The exhaustive walk over every offer, for the comparison, and a check that both gave the same answers.
        progress($"sharing-rank: indexed in {watch.Elapsed.TotalMilliseconds:0} ms; now the exhaustive walk, for comparison");
        var exhaustiveCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var exhaustive = Stopwatch.StartNew();
        var differ = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var walked = Matcher.Match(requests[i], offers, o => capacities[o.Id], now);
            differ += Same(walked, results[i]) ? 0 : 1;
        }

        exhaustive.Stop();
        exhaustiveCpu = Process.GetCurrentProcess().TotalProcessorTime - exhaustiveCpu;
        return $"ranked {requestCount} requests against {offerCount} offers in {watch.Elapsed.TotalMilliseconds:0} ms (CPU {cpu.TotalMilliseconds:0} ms) " +
            $"({watch.Elapsed.TotalMilliseconds * 1000 / requestCount:0} µs per request), {feasible / (double)requestCount:0.0} feasible candidates per request, " +
            $"{unserved} requests without any; exhaustive walk {exhaustive.Elapsed.TotalMilliseconds:0} ms (CPU {exhaustiveCpu.TotalMilliseconds:0} ms), {differ} answers differ; " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()}";
    }

    private static bool Same(RankResult a, RankResult b) =>
        a.Considered == b.Considered
        && a.Candidates.Select(c => (c.Offer.Id, c.Quote.Price, c.Quote.DeliveryAt, c.Score)).SequenceEqual(b.Candidates.Select(c => (c.Offer.Id, c.Quote.Price, c.Quote.DeliveryAt, c.Score)))
        && a.Excluded.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(b.Excluded.OrderBy(e => e.Key, StringComparer.Ordinal));

    private static MarketOffer Offer(Random random, long id)
    {
        var processes = Pick(random, Processes, 1 + random.Next(3));
        var materials = Pick(random, Materials, 1 + random.Next(4)).ToDictionary(m => m, _ => 1 + (random.NextDouble() * 10), StringComparer.Ordinal);
        double[] envelope = [.. new[] { 200 + random.Next(1800), 200 + random.Next(1800), 100 + random.Next(900) }.Select(x => (double)x).Order()];
        return new MarketOffer(id, 1 + (id % 500), $"provider {1 + (id % 500)}", processes.ToHashSet(StringComparer.Ordinal), materials, envelope,
            new[] { 0.005, 0.01, 0.02, 0.05, 0.1 }[random.Next(5)], Pick(random, Certifications, random.Next(3)).ToHashSet(StringComparer.Ordinal),
            40 + random.Next(120), random.Next(300), random.NextDouble() * 2, random.Next(25), 47 + (random.NextDouble() * 8), 6 + (random.NextDouble() * 9),
            new ProviderRecord(random.Next(20), 0, 0) is var r ? r with { OnTime = random.Next((int)r.Rated + 1), QualityPassed = random.Next((int)r.Rated + 1) } : ProviderRecord.None);
    }

    /// <summary>Two weeks of one or two 8 h shifts on weekdays, each day partly taken by the provider's own jobs.</summary>
    private static List<Interval> Windows(Random random, long now)
    {
        var windows = new List<Interval>();
        var shifts = 1 + random.Next(2);
        for (var day = 0; day < 14; day++)
        {
            if (day % 7 >= 5)
            {
                continue;
            }

            var open = now + (day * 86_400_000L) + (6 * 3_600_000L);
            var close = open + (shifts * 8 * 3_600_000L);
            var busyFrom = open + (random.Next(8) * 3_600_000L);
            var busyTo = Math.Min(close, busyFrom + (random.Next(10) * 3_600_000L));
            windows.AddRange(Intervals.Subtract([new Interval(open, close)], [new Interval(busyFrom, busyTo)]));
        }

        return windows;
    }

    private static MarketRequest Request(Random random, long id, long now)
    {
        var steps = Pick(random, Processes, 1 + random.Next(2)).Select(p => new RequestStep(p, 10 + random.Next(50), 20 + random.Next(300))).ToList();
        double[] size = [.. new[] { 20 + random.Next(600), 20 + random.Next(600), 5 + random.Next(300) }.Select(x => (double)x).Order()];
        return new MarketRequest(id, 10_000 + id, steps, Materials[random.Next(Materials.Length)], random.NextDouble() * 2, 1 + random.Next(200),
            new[] { 0.01, 0.02, 0.05, 0.1, 0.2 }[random.Next(5)], size, Pick(random, Certifications, random.Next(2)).ToHashSet(StringComparer.Ordinal),
            now + ((2 + random.Next(12)) * 86_400_000L), 500 + random.Next(20_000), 50 + random.Next(500), 47 + (random.NextDouble() * 8),
            6 + (random.NextDouble() * 9), 24 * 3_600_000L);
    }

    private static List<string> Pick(Random random, string[] from, int count) => from.OrderBy(_ => random.Next()).Take(count).ToList();

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
