using Millwright.Features.Fleet;

namespace Millwright.Tests.Fleet;

/// <summary>Allocation with operators: every assignment needs a licensed, available operator, and the optimum stays exact.</summary>
public sealed class OperatorAllocationTests
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private static FleetMachine Machine(long id, double lat, double lon, double rate = 100, string category = "excavator") =>
        new(id, category, new Dictionary<string, double>(), lat, lon, rate, []);

    private static SiteRequest Request(long id, int fromDay, int toDay, double lat = 50, double lon = 10, string category = "excavator") =>
        new(id, category, new Dictionary<string, double>(), lat, lon, fromDay * Day, toDay * Day);

    private static FleetOperator Operator(long id, string category, int fromDay = 0, int toDay = 100, params TimeWindow[] away) =>
        new(id, $"op{id}", [new OperatorLicence(category, fromDay * Day, toDay * Day)], away);

    [Fact]
    public void A_request_without_a_licensed_available_operator_is_unserved_with_the_reason()
    {
        var machines = new List<FleetMachine> { Machine(1, 50, 10), Machine(2, 50, 10.1, category: "crane") };
        var requests = new List<SiteRequest> { Request(1, 0, 2), Request(2, 0, 2, category: "crane"), Request(3, 10, 12) };
        // Operator 7 drives excavators until day 5 only; operator 8 drives cranes but is away on day 1.
        var operators = new List<FleetOperator> { Operator(7, "excavator", toDay: 5), Operator(8, "crane", away: new TimeWindow(Day, 2 * Day)) };

        var plan = AllocationSolver.Solve(requests, machines, operators: operators);

        var served = Assert.Single(plan.Assignments);
        Assert.Equal((1L, 1L, 7L), (served.RequestId, served.MachineId, served.OperatorId!.Value));
        Assert.All(plan.Unserved, u => Assert.Contains("no operator licensed", u.Reason, StringComparison.Ordinal));
        Assert.Equal([2L, 3L], plan.Unserved.Select(u => u.RequestId));
    }

    [Fact]
    public void Two_machines_and_one_operator_serve_one_of_two_overlapping_requests_the_cheaper_by_flow()
    {
        var machines = new List<FleetMachine> { Machine(1, 50, 10), Machine(2, 52, 13) };
        var requests = new List<SiteRequest> { Request(1, 0, 3, 50.01, 10), Request(2, 1, 4, 52.01, 13) };
        var one = AllocationSolver.Solve(requests, machines, operators: [Operator(7, "excavator")]);
        var two = AllocationSolver.Solve(requests, machines, operators: [Operator(7, "excavator"), Operator(8, "excavator")]);

        Assert.Equal("min-cost-flow", one.Method);
        Assert.Single(one.Assignments);
        Assert.Equal(2, two.Assignments.Count);
        Assert.Equal([7L, 8L], two.Assignments.Select(a => a.OperatorId!.Value).Order());
        Assert.Contains("operator", Assert.Single(one.Unserved).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_operators_the_solver_matches_an_exhaustive_search_on_small_cases()
    {
        var methods = new HashSet<string>();
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            string Category() => random.Next(4) == 0 ? "crane" : "excavator";
            var machines = Enumerable.Range(1, random.Next(1, 5)).Select(i => Machine(i, 50 + (random.NextDouble() * 2), 8 + (random.NextDouble() * 4), random.Next(50, 400), Category())).ToList();
            var requests = Enumerable.Range(1, random.Next(1, 5)).Select(i =>
            {
                var from = random.Next(0, 10);
                return Request(i, from, from + random.Next(1, 5), 50 + (random.NextDouble() * 2), 8 + (random.NextDouble() * 4), Category());
            }).ToList();
            var operators = Enumerable.Range(1, random.Next(1, 4)).Select(i =>
            {
                var licences = new List<OperatorLicence> { new(Category(), random.Next(0, 4) * Day, random.Next(6, 16) * Day) };
                if (random.Next(3) == 0)
                {
                    licences.Add(new OperatorLicence(Category(), 0, 20 * Day));
                }

                var away = random.Next(3) == 0 ? [new TimeWindow(random.Next(0, 10) * Day, random.Next(10, 14) * Day)] : Array.Empty<TimeWindow>();
                return new FleetOperator(100 + i, $"op{i}", licences, away);
            }).ToList();
            var previous = requests.Where(_ => random.Next(3) == 0).ToDictionary(r => r.Id, _ => (long)random.Next(1, 5));
            var costs = new AllocationCosts(ChangePenalty: random.Next(0, 3) * 150);

            var plan = AllocationSolver.Solve(requests, machines, costs, previous: previous, operators: operators);
            methods.Add(plan.Method);
            var (served, objective) = Exhaustive(requests, machines, operators, previous, costs.ChangePenaltyCents);

            Assert.True(served == plan.Assignments.Count, $"seed {seed}: served {plan.Assignments.Count}, exhaustive {served}");
            var mine = plan.Assignments.Sum(a => AllocationPricing.Cents(a) + (a.Moved ? costs.ChangePenaltyCents : 0));
            Assert.True(objective == mine, $"seed {seed}: objective {mine}, exhaustive {objective}");
            AssertFeasible(plan, requests, machines, operators, seed);
        }

        // Both formulations were exercised.
        Assert.Contains("min-cost-flow", methods);
        Assert.Contains("cp-sat", methods);
    }

    /// <summary>Every assignment's machine and operator fit its request, and neither is in two places at once.</summary>
    private static void AssertFeasible(AllocationPlan plan, List<SiteRequest> requests, List<FleetMachine> machines, List<FleetOperator> operators, int seed)
    {
        var byId = requests.ToDictionary(r => r.Id);
        foreach (var a in plan.Assignments)
        {
            var request = byId[a.RequestId];
            Assert.True(AllocationPricing.CanServe(machines.Single(m => m.Id == a.MachineId), request), $"seed {seed}: machine {a.MachineId} cannot serve {a.RequestId}");
            Assert.True(operators.Single(o => o.Id == a.OperatorId).CanDrive(request), $"seed {seed}: operator {a.OperatorId} cannot drive {a.RequestId}");
        }

        foreach (var group in plan.Assignments.GroupBy(a => a.MachineId).Concat(plan.Assignments.GroupBy(a => a.OperatorId!.Value)))
        {
            var held = group.Select(a => byId[a.RequestId]).ToList();
            Assert.True(held.All(x => held.All(y => x == y || !x.Overlaps(y))), $"seed {seed}: resource {group.Key} double-booked");
        }
    }

    /// <summary>Every way of giving each request a free capable machine and a free licensed operator, or nothing: most served, then least price plus penalty.</summary>
    private static (int Served, long Objective) Exhaustive(List<SiteRequest> requests, List<FleetMachine> machines, List<FleetOperator> operators,
        Dictionary<long, long> previous, long penalty)
    {
        var best = (Served: -1, Objective: long.MaxValue);
        var heldMachines = machines.ToDictionary(m => m.Id, _ => new List<SiteRequest>());
        var heldOperators = operators.ToDictionary(o => o.Id, _ => new List<SiteRequest>());
        bool Free(List<SiteRequest> held, SiteRequest r) => held.All(o => o.To <= r.From || r.To <= o.From);
        void Visit(int index, int served, long objective)
        {
            if (index == requests.Count)
            {
                if (served > best.Served || (served == best.Served && objective < best.Objective))
                {
                    best = (served, objective);
                }

                return;
            }

            var request = requests[index];
            Visit(index + 1, served, objective);
            foreach (var machine in machines.Where(m => m.Category == request.Category && Free(heldMachines[m.Id], request)))
            {
                var price = AllocationPricing.Cents(AllocationPricing.Price(machine, request, AllocationCosts.Default))
                    + (previous.TryGetValue(request.Id, out var had) && had != machine.Id ? penalty : 0);
                foreach (var op in operators.Where(o => Free(heldOperators[o.Id], request)
                    && o.Licences.Any(l => l.Category == request.Category && l.From <= request.From && request.To <= l.To)
                    && !o.Unavailable.Any(w => w.From < request.To && request.From < w.To)))
                {
                    heldMachines[machine.Id].Add(request);
                    heldOperators[op.Id].Add(request);
                    Visit(index + 1, served + 1, objective + price);
                    heldMachines[machine.Id].Remove(request);
                    heldOperators[op.Id].Remove(request);
                }
            }
        }

        Visit(0, 0, 0);
        return best;
    }
}
