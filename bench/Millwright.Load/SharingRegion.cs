using Millwright.Features.Calendars;
using Millwright.Features.Sharing;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench sharing</c>: a simulated region of small enterprises run twice over the same demand, each
/// alone and with sharing through the marketplace's matcher (docs/benchmarks.md, "Shared manufacturing", states the
/// demand model; it was fixed before the market was tuned). Times are ms from a Monday 00:00; every machine works
/// weekdays 06:00–14:00. Machines run their jobs first come, first served (list scheduling at arrival).
/// </summary>
internal static class SharingRegion
{
    private const long Hour = 3_600_000;
    private static readonly string[] Processes = ["3-axis-milling", "5-axis-milling", "turning", "laser-cutting", "bending", "welding"];

    internal sealed record Settings(int Enterprises, int Days, int Seed, double Load, double Peak, double DistanceKm);

    private sealed record Enterprise(int Id, double Latitude, double Longitude, List<Machine> Machines, string[] Core);

    private sealed class Machine(int owner, string process)
    {
        public int Owner { get; } = owner;
        public string Process { get; } = process;
        public long FreeAt { get; set; }
        public long Busy { get; set; }
    }

    private sealed record Job(int Owner, string Process, long Arrival, long Work, long Due);

    public static string Run(Settings s, Action<string> progress)
    {
        var (alone, shared) = (Simulate(s, sharing: false, progress), Simulate(s, sharing: true, progress));
        return string.Join('\n', Describe("alone", alone), Describe("shared", shared),
            $"utilization alone {alone.Utilization * 100:0.0} %, shared {shared.Utilization * 100:0.0} %, on time alone {alone.OnTime * 100:0.0} %, shared {shared.OnTime * 100:0.0} %");
    }

    private sealed record Outcome(double Utilization, double[] Spread, double OnTime, double MeanTardinessHours, int Jobs, int Unserved, double HoursSold, double Revenue);

    private static string Describe(string name, Outcome o) =>
        $"{name}: {o.Jobs} jobs, utilization mean {o.Utilization * 100:0.0} % (p10 {o.Spread[0] * 100:0} %, p50 {o.Spread[1] * 100:0} %, p90 {o.Spread[2] * 100:0} %), " +
        $"on time {o.OnTime * 100:0.0} %, mean tardiness of late jobs {o.MeanTardinessHours:0.0} h, never served {o.Unserved}, idle hours sold {o.HoursSold:0}, revenue moved {o.Revenue:0}";

    private static Outcome Simulate(Settings s, bool sharing, Action<string> progress)
    {
        // The same seed gives the same region and the same demand in both runs.
        var random = new Random(s.Seed);
        var region = Region(random, s.Enterprises);
        var jobs = Demand(random, region, s);
        var horizon = s.Days * 24 * Hour;
        int onTime = 0, unserved = 0, late = 0;
        double tardiness = 0, sold = 0, revenue = 0;
        foreach (var job in jobs)
        {
            var owner = region[job.Owner];
            var own = owner.Machines.Where(m => m.Process == job.Process).Select(m => (Machine: m, End: Finish(Math.Max(job.Arrival, m.FreeAt), job.Work)))
                .OrderBy(x => x.End).FirstOrDefault();
            (Machine Machine, long Delivery)? chosen = own.Machine is null ? null : (own.Machine, own.End);
            if (sharing && (own.Machine is null || own.End > job.Due) && Market(s, region, job, out var bought, out var price))
            {
                chosen = bought;
                sold += job.Work / (double)Hour;
                revenue += price;
            }

            if (chosen is not { } c)
            {
                unserved++;
                continue;
            }

            var start = Math.Max(job.Arrival + (c.Machine.Owner == job.Owner ? 0 : Lead), c.Machine.FreeAt);
            var end = Finish(start, job.Work);
            c.Machine.Busy += WorkingBetween(start, Math.Min(end, horizon));
            c.Machine.FreeAt = end;
            if (c.Delivery <= job.Due)
            {
                onTime++;
            }
            else
            {
                late++;
                tardiness += (c.Delivery - job.Due) / (double)Hour;
            }
        }

        var open = WorkingBetween(0, horizon);
        var utilizations = region.SelectMany(e => e.Machines).Select(m => m.Busy / (double)open).Order().ToArray();
        progress($"sharing: {(sharing ? "shared" : "alone")} run done, {jobs.Count} jobs");
        return new Outcome(utilizations.Average(), [utilizations[utilizations.Length / 10], utilizations[utilizations.Length / 2], utilizations[utilizations.Length * 9 / 10]],
            onTime / (double)jobs.Count, late == 0 ? 0 : tardiness / late, jobs.Count, unserved, sold, revenue);
    }

    /// <summary>How long providers have to answer before bought work may start (the marketplace's response window).</summary>
    private const long Lead = 4 * Hour;

    /// <summary>Asks the marketplace's matcher: every other enterprise's machine of the process, with its idle time after its own queue, as an offer.</summary>
    private static bool Market(Settings s, List<Enterprise> region, Job job, out (Machine, long) bought, out double price)
    {
        var buyer = region[job.Owner];
        var machines = new Dictionary<long, Machine>();
        var offers = new List<MarketOffer>();
        foreach (var e in region.Where(e => e.Id != job.Owner))
        {
            foreach (var m in e.Machines.Where(m => m.Process == job.Process))
            {
                var id = machines.Count + 1L;
                machines[id] = m;
                offers.Add(new MarketOffer(id, e.Id, $"e{e.Id}", new HashSet<string> { m.Process }, new Dictionary<string, double> { ["steel"] = 0 }, [1000, 1000, 1000], 0.01,
                    new HashSet<string>(), 70, 100, 1, 10, e.Latitude, e.Longitude, ProviderRecord.None));
            }
        }

        var request = new MarketRequest(job.Arrival, buyer.Id, [new RequestStep(job.Process, 0, job.Work / 1000.0)], "steel", 0, 1, 0.05, [10, 10, 10],
            new HashSet<string>(), job.Due, double.MaxValue, s.DistanceKm, buyer.Latitude, buyer.Longitude, Lead);
        var result = Matcher.Match(request, offers, o => OfferCapacity.Empty(IdleWindows(machines[o.Id], job.Arrival)), job.Arrival);
        if (result.Candidates.Count == 0)
        {
            bought = default;
            price = 0;
            return false;
        }

        var best = result.Candidates[0];
        bought = (machines[best.Offer.Id], best.Quote.DeliveryAt);
        price = best.Quote.Price;
        return true;
    }

    /// <summary>A machine's working time after its own queue, for 30 days: what its owner can sell.</summary>
    private static List<Interval> IdleWindows(Machine m, long now)
    {
        var windows = new List<Interval>();
        var from = Math.Max(now, m.FreeAt);
        for (var day = from / (24 * Hour); day < (from / (24 * Hour)) + 30; day++)
        {
            if (day % 7 < 5)
            {
                var open = Math.Max(from, (day * 24 * Hour) + (6 * Hour));
                var close = (day * 24 * Hour) + (14 * Hour);
                if (close > open)
                {
                    windows.Add(new Interval(open, close));
                }
            }
        }

        return windows;
    }

    /// <summary>When <paramref name="work"/> ms of machine time started at <paramref name="start"/> end, pausing outside weekdays 06–14.</summary>
    private static long Finish(long start, long work)
    {
        var at = start;
        var left = work;
        while (true)
        {
            var day = at / (24 * Hour);
            var open = (day * 24 * Hour) + (6 * Hour);
            var close = open + (8 * Hour);
            if (day % 7 >= 5 || at >= close)
            {
                at = ((day + 1) * 24 * Hour) + (6 * Hour);
                continue;
            }

            at = Math.Max(at, open);
            var take = Math.Min(left, close - at);
            at += take;
            left -= take;
            if (left <= 0)
            {
                return at;
            }
        }
    }

    /// <summary>Working ms (weekdays 06–14) in [from, to).</summary>
    private static long WorkingBetween(long from, long to)
    {
        long total = 0;
        for (var day = from / (24 * Hour); day * 24 * Hour < to; day++)
        {
            if (day % 7 < 5)
            {
                var open = (day * 24 * Hour) + (6 * Hour);
                total += Math.Max(0, Math.Min(to, open + (8 * Hour)) - Math.Max(from, open));
            }
        }

        return total;
    }

    private static List<Enterprise> Region(Random random, int count)
    {
        var region = new List<Enterprise>();
        for (var i = 0; i < count; i++)
        {
            // 2 or 3 core processes; 2 to 8 machines, each of a core process.
            var core = Processes.OrderBy(_ => random.Next()).Take(2 + random.Next(2)).ToArray();
            var machines = Enumerable.Range(0, 2 + random.Next(7)).Select(_ => new Machine(i, core[random.Next(core.Length)])).ToList();
            // A region about 150 km across (0.01° latitude ≈ 1.1 km).
            region.Add(new Enterprise(i, 48.0 + (random.NextDouble() * 1.35), 8.0 + (random.NextDouble() * 2.0), machines, core));
        }

        return region;
    }

    /// <summary>
    /// Each enterprise's jobs: Poisson arrivals per working day at a mean rate that would load its own machines to
    /// <c>Load</c>, times a seasonal wave (±30 % over the period, phase per enterprise) and random peaks (each day a
    /// 6 % chance of a 3-day peak of 1 + <c>Peak</c> times the rate). Work: log-normal, median 4 h, σ 0.8, 0.5–40 h.
    /// 90 % of jobs need a process of the enterprise, weighted by its machines; 10 % one it lacks. Due: 3–8 days.
    /// </summary>
    private static List<Job> Demand(Random random, List<Enterprise> region, Settings s)
    {
        const double meanWorkHours = 5.5; // of the clipped log-normal below, measured
        var jobs = new List<Job>();
        foreach (var e in region)
        {
            var phase = random.NextDouble() * 2 * Math.PI;
            var rate = s.Load * e.Machines.Count * 8 / meanWorkHours;
            var peakLeft = 0;
            for (var day = 0; day < s.Days; day++)
            {
                if (peakLeft == 0 && random.NextDouble() < 0.06)
                {
                    peakLeft = 3;
                }

                var multiplier = (1 + (0.3 * Math.Sin((2 * Math.PI * day / s.Days) + phase))) * (peakLeft > 0 ? 1 + s.Peak : 1);
                peakLeft = Math.Max(0, peakLeft - 1);
                if (day % 7 >= 5)
                {
                    continue;
                }

                var arrivals = Poisson(random, rate * multiplier * 7 / 5);
                for (var k = 0; k < arrivals; k++)
                {
                    var process = random.NextDouble() < 0.9 ? e.Machines[random.Next(e.Machines.Count)].Process : Processes.Where(p => !e.Core.Contains(p)).ElementAt(random.Next(Processes.Length - e.Core.Length));
                    var hours = Math.Clamp(Math.Exp(Math.Log(4) + (0.8 * Gaussian(random))), 0.5, 40);
                    var arrival = (day * 24 * Hour) + (6 * Hour) + (long)(random.NextDouble() * 8 * Hour);
                    jobs.Add(new Job(e.Id, process, arrival, (long)(hours * Hour), arrival + (long)((3 + (random.NextDouble() * 5)) * 24 * Hour)));
                }
            }
        }

        return jobs.OrderBy(j => j.Arrival).ToList();
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
