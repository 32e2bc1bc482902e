using Millwright.Features.Fleet;

namespace Millwright.Tests.Fleet;

public sealed class AllocationTests
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;
    private static readonly Dictionary<string, double> None = [];

    private static FleetMachine Machine(long id, double lat, double lon, double rate = 100, string category = "excavator", double bucket = 1, params TimeWindow[] away) =>
        new(id, category, new Dictionary<string, double> { ["bucket_m3"] = bucket }, lat, lon, rate, away);

    private static SiteRequest Request(long id, int fromDay, int toDay, double lat = 50, double lon = 10, string category = "excavator", double minBucket = 0) =>
        new(id, category, minBucket > 0 ? new Dictionary<string, double> { ["bucket_m3"] = minBucket } : None, lat, lon, fromDay * Day, toDay * Day);

    [Fact]
    public void Road_distance_is_the_great_circle_times_the_documented_factor()
    {
        // Berlin to Munich is about 504 km as the crow flies.
        var km = AllocationPricing.GreatCircleKm(52.520, 13.405, 48.137, 11.575);
        Assert.InRange(km, 500, 508);

        var priced = AllocationPricing.Price(Machine(1, 52.520, 13.405, rate: 250), Request(1, 0, 3, 48.137, 11.575), AllocationCosts.Default);
        Assert.Equal(Math.Round(km * 1.3, 3), priced.RoadKm);
        Assert.Equal(Math.Round(km * 1.3 * 3.0, 2), priced.TransportCost);
        Assert.Equal(750, priced.RentalCost);
    }

    [Fact]
    public void One_machine_takes_two_requests_whose_ranges_do_not_overlap_but_not_two_that_do()
    {
        var machine = Machine(7, 50, 10);

        var sequential = AllocationSolver.Solve([Request(1, 0, 3), Request(2, 3, 5)], [machine]);
        var overlapping = AllocationSolver.Solve([Request(1, 0, 3), Request(2, 2, 5)], [machine]);

        Assert.Equal([7L, 7L], sequential.Assignments.Select(a => a.MachineId));
        Assert.Empty(sequential.Unserved);
        Assert.Single(overlapping.Assignments);
        Assert.Contains("taken by other requests", Assert.Single(overlapping.Unserved).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_no_machine_can_serve_are_unserved_naming_the_cause()
    {
        var machines = new[] { Machine(1, 50, 10, bucket: 1), Machine(2, 50, 10, bucket: 3, away: new TimeWindow(Day, 2 * Day)) };

        var plan = AllocationSolver.Solve([Request(1, 0, 3, minBucket: 5), Request(2, 0, 3, category: "crane"), Request(3, 1, 4, minBucket: 2)], machines);

        Assert.Empty(plan.Assignments);
        var reasons = plan.Unserved.ToDictionary(u => u.RequestId, u => u.Reason);
        Assert.Contains("bucket_m3 ≥ 5", reasons[1], StringComparison.Ordinal);
        Assert.Contains("category 'crane'", reasons[2], StringComparison.Ordinal);
        Assert.Contains("maintenance", reasons[3], StringComparison.Ordinal);
    }

    [Fact]
    public void The_optimum_beats_nearest_first_when_the_nearest_machine_is_needed_elsewhere()
    {
        // Site A (lon 11) is as near to machine 1 (lon 10) as to machine 2 (lon 12); site B (lon 9) is near machine 1 only.
        var machines = new[] { Machine(1, 50.0, 10.0), Machine(2, 50.0, 12.0) };
        var requests = new[] { Request(1, 0, 2, lat: 50.0, lon: 11.0), Request(2, 1, 3, lat: 50.0, lon: 9.0) };

        var optimal = AllocationSolver.Solve(requests, machines);
        var greedy = GreedyAllocation.Solve(requests, machines);

        // Nearest-first: request 1 starts first and takes machine 1 (a tie, lower id), so machine 2 drives 3° to site B;
        // the optimum sends machine 2 to A and machine 1 to B, 1° each.
        Assert.Equal(2, greedy.Assignments.Count);
        Assert.Equal(2, optimal.Assignments.Count);
        Assert.True(optimal.TotalCost < greedy.TotalCost, $"optimal {optimal.TotalCost} vs greedy {greedy.TotalCost}");
    }

    [Fact]
    public void The_solver_matches_an_exhaustive_search_on_many_small_random_cases()
    {
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            var machines = Enumerable.Range(1, random.Next(1, 6)).Select(i => Machine(i,
                50 + random.NextDouble() * 2, 8 + random.NextDouble() * 4, rate: random.Next(50, 400),
                category: random.Next(4) == 0 ? "crane" : "excavator", bucket: random.Next(1, 4),
                away: random.Next(4) == 0 ? [new TimeWindow(random.Next(0, 8) * Day, random.Next(8, 12) * Day)] : [])).ToList();
            var requests = Enumerable.Range(1, random.Next(1, 6)).Select(i =>
            {
                var from = random.Next(0, 10);
                return Request(i, from, from + random.Next(1, 5), 50 + random.NextDouble() * 2, 8 + random.NextDouble() * 4,
                    category: random.Next(5) == 0 ? "crane" : "excavator", minBucket: random.Next(0, 4));
            }).ToList();

            var plan = AllocationSolver.Solve(requests, machines);
            var (served, cents) = Exhaustive(requests, machines);
            var greedy = GreedyAllocation.Solve(requests, machines);

            AssertFeasible(plan, requests, machines, seed);
            Assert.True(served == plan.Assignments.Count, $"seed {seed}: served {plan.Assignments.Count}, exhaustive {served}");
            Assert.True(cents == plan.Assignments.Sum(AllocationPricing.Cents), $"seed {seed}: cost {plan.Assignments.Sum(AllocationPricing.Cents)}, exhaustive {cents}");
            Assert.True(greedy.Assignments.Count < served || greedy.Assignments.Sum(AllocationPricing.Cents) >= cents, $"seed {seed}: greedy beat the optimum");
        }
    }

    [Fact]
    public void A_left_out_candidate_that_prices_negative_is_taken_in()
    {
        // Requests 1..8 each have their own machine at 10 and seven dear ones; request 0 has those same eight machines
        // at 20 and, ninth and outside the first round's width, machine 100 at 50. Within eight candidates each, every
        // request is served but request 0 pushes one of the others onto a dear machine; pricing must bring in machine 100.
        var lists = new List<Candidate[]> { Enumerable.Range(1, 8).Select(m => new Candidate(20, m, m)).Append(new Candidate(50, 100, 100)).ToArray() };
        for (var r = 1; r <= 8; r++)
        {
            lists.Add([new Candidate(10, r, r), .. Enumerable.Range(0, 7).Select(k => new Candidate(1000 + k, (r * 10) + 200 + k, (r * 10) + 200 + k))]);
        }

        var picks = AssignmentFlow.Solve(lists);

        Assert.Equal(100, lists[0][picks[0]].Machine);
        Assert.All(Enumerable.Range(1, 8), r => Assert.Equal(r, lists[r][picks[r]].Machine));
    }

    [Fact]
    public void On_many_medium_random_cases_the_solver_equals_a_min_cost_flow_over_every_candidate()
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var random = new Random(seed);
            // Sites and machines in a few clusters, so that requests contend for the same nearest machines.
            var centres = Enumerable.Range(0, random.Next(1, 4)).Select(_ => (Lat: 48 + (random.NextDouble() * 4), Lon: 8 + (random.NextDouble() * 6))).ToList();
            (double, double) Near() => centres[random.Next(centres.Count)] is var c ? (c.Lat + (random.NextDouble() * 0.5), c.Lon + (random.NextDouble() * 0.5)) : default;
            var machines = Enumerable.Range(1, random.Next(20, 120)).Select(i =>
            {
                var (lat, lon) = Near();
                return Machine(i, lat, lon, rate: random.Next(50, 400), bucket: random.Next(1, 4),
                    away: random.Next(6) == 0 ? [new TimeWindow(0, 3 * Day)] : []);
            }).ToList();
            var requests = Enumerable.Range(1, random.Next(5, 60)).Select(i =>
            {
                var (lat, lon) = Near();
                // Every range holds day 2: each machine takes at most one request, as in the benchmark.
                return Request(i, random.Next(0, 3), random.Next(3, 6), lat, lon, minBucket: random.Next(0, 4));
            }).ToList();

            var plan = AllocationSolver.Solve(requests, machines);
            var (served, cents) = FullFlow(requests, machines);

            AssertFeasible(plan, requests, machines, seed);
            Assert.DoesNotContain("cp-sat", plan.Method, StringComparison.Ordinal);
            Assert.True(served == plan.Assignments.Count, $"seed {seed}: served {plan.Assignments.Count}, full flow {served}");
            Assert.True(cents == plan.Assignments.Sum(AllocationPricing.Cents), $"seed {seed}: cost {plan.Assignments.Sum(AllocationPricing.Cents)}, full flow {cents}");
        }
    }

    /// <summary>Max flow at min cost over every capable, available request–machine pair: no pruning, no pricing rounds.</summary>
    private static (int Served, long Cents) FullFlow(List<SiteRequest> requests, List<FleetMachine> machines)
    {
        var flow = new Google.OrTools.Graph.MinCostFlow();
        const int source = 0, sink = 1;
        var arcs = new List<(int Arc, long Cents)>();
        for (var r = 0; r < requests.Count; r++)
        {
            flow.AddArcWithCapacityAndUnitCost(source, 2 + r, 1, 0);
            for (var m = 0; m < machines.Count; m++)
            {
                if (AllocationPricing.CanServe(machines[m], requests[r]))
                {
                    var cents = AllocationPricing.Cents(AllocationPricing.Price(machines[m], requests[r], AllocationCosts.Default));
                    arcs.Add((flow.AddArcWithCapacityAndUnitCost(2 + r, 2 + requests.Count + m, 1, cents), cents));
                }
            }
        }

        for (var m = 0; m < machines.Count; m++)
        {
            flow.AddArcWithCapacityAndUnitCost(2 + requests.Count + m, sink, 1, 0);
        }

        flow.SetNodeSupply(source, requests.Count);
        flow.SetNodeSupply(sink, -requests.Count);
        Assert.Equal(Google.OrTools.Graph.MinCostFlowBase.Status.OPTIMAL, flow.SolveMaxFlowWithMinCost());
        var used = arcs.Where(a => flow.Flow(a.Arc) > 0).ToList();
        return (used.Count, used.Sum(a => a.Cents));
    }

    /// <summary>Tries every way of giving each request one machine or none: most served, then least cost (cents).</summary>
    private static (int Served, long Cents) Exhaustive(List<SiteRequest> requests, List<FleetMachine> machines)
    {
        var best = (Served: -1, Cents: long.MaxValue);
        var held = machines.ToDictionary(m => m.Id, _ => new List<SiteRequest>());
        void Visit(int index, int served, long cents)
        {
            if (index == requests.Count)
            {
                if (served > best.Served || (served == best.Served && cents < best.Cents))
                {
                    best = (served, cents);
                }

                return;
            }

            var request = requests[index];
            Visit(index + 1, served, cents);
            foreach (var machine in machines)
            {
                var fits = machine.Category == request.Category
                    && request.MinCapabilities.All(c => machine.Capabilities[c.Key] >= c.Value)
                    && machine.Unavailable.All(w => w.To <= request.From || request.To <= w.From)
                    && held[machine.Id].All(other => other.To <= request.From || request.To <= other.From);
                if (fits)
                {
                    held[machine.Id].Add(request);
                    Visit(index + 1, served + 1, cents + AllocationPricing.Cents(AllocationPricing.Price(machine, request, AllocationCosts.Default)));
                    held[machine.Id].Remove(request);
                }
            }
        }

        Visit(0, 0, 0);
        return best;
    }

    private static void AssertFeasible(AllocationPlan plan, List<SiteRequest> requests, List<FleetMachine> machines, int seed)
    {
        Assert.True(plan.Assignments.Select(a => a.RequestId).Distinct().Count() == plan.Assignments.Count, $"seed {seed}: a request served twice");
        Assert.Equal(requests.Count, plan.Assignments.Count + plan.Unserved.Count);
        foreach (var group in plan.Assignments.GroupBy(a => a.MachineId))
        {
            var ranges = group.Select(a => requests.Single(r => r.Id == a.RequestId)).ToList();
            Assert.True(ranges.All(a => ranges.All(b => a == b || !a.Overlaps(b))), $"seed {seed}: machine {group.Key} double-booked");
            Assert.All(ranges, r => Assert.True(AllocationPricing.CanServe(machines.Single(m => m.Id == group.Key), r), $"seed {seed}: incapable machine"));
        }
    }
}
