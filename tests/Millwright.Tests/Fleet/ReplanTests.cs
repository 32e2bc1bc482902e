using Millwright.Features.Fleet;

namespace Millwright.Tests.Fleet;

/// <summary>Re-planning against a previous plan with a change penalty: only what must move moves, and the optimum is still exact.</summary>
public sealed class ReplanTests
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private static FleetMachine Machine(long id, double lat, double lon, double rate = 100, string category = "excavator") =>
        new(id, category, new Dictionary<string, double>(), lat, lon, rate, []);

    private static SiteRequest Request(long id, int fromDay, int toDay, double lat = 50, double lon = 10, string category = "excavator") =>
        new(id, category, new Dictionary<string, double>(), lat, lon, fromDay * Day, toDay * Day);

    [Fact]
    public void A_change_is_made_only_when_it_saves_more_than_the_penalty()
    {
        // Machine 1 stands 10 km from the site, machine 2 about 20 km: moving the request to machine 1 saves about 40.
        var machines = new List<FleetMachine> { Machine(1, 50.09, 10), Machine(2, 50.18, 10) };
        var requests = new List<SiteRequest> { Request(7, 0, 2) };
        var previous = new Dictionary<long, long> { [7] = 2 };

        var kept = AllocationSolver.Solve(requests, machines, new AllocationCosts(ChangePenalty: 100), previous: previous);
        var moved = AllocationSolver.Solve(requests, machines, new AllocationCosts(ChangePenalty: 10), previous: previous);

        Assert.Equal(2, Assert.Single(kept.Assignments).MachineId);
        Assert.False(kept.Assignments[0].Moved);
        Assert.Equal(0, kept.Changes);
        Assert.Equal(1, Assert.Single(moved.Assignments).MachineId);
        Assert.True(moved.Assignments[0].Moved);
        Assert.Equal(1, moved.Changes);
        // The penalty is in the objective, never in the plan's cost.
        Assert.Equal(AllocationPricing.Price(machines[0], requests[0], AllocationCosts.Default).Cost, moved.TotalCost, 6);
    }

    [Fact]
    public void When_a_machine_breaks_down_only_its_request_moves_though_a_reshuffle_would_be_cheaper()
    {
        var random = new Random(5);
        var machines = Enumerable.Range(1, 80).Select(i => Machine(i, 48 + (random.NextDouble() * 3), 8 + (random.NextDouble() * 4), rate: random.Next(50, 400))).ToList();
        var requests = Enumerable.Range(1, 40).Select(i => Request(i, 0, 3, 48 + (random.NextDouble() * 3), 8 + (random.NextDouble() * 4))).ToList();
        var first = AllocationSolver.Solve(requests, machines);
        var previous = first.Assignments.ToDictionary(a => a.RequestId, a => a.MachineId);
        var broken = first.Assignments[0];
        var left = machines.Where(m => m.Id != broken.MachineId).ToList();

        var calm = AllocationSolver.Solve(requests, left, new AllocationCosts(ChangePenalty: 100_000), previous: previous);
        var free = AllocationSolver.Solve(requests, left);

        Assert.Equal(40, calm.Assignments.Count);
        Assert.Equal(1, calm.Changes);
        Assert.Equal([broken.RequestId], calm.Assignments.Where(a => a.Moved).Select(a => a.RequestId));
        Assert.All(calm.Assignments.Where(a => a.RequestId != broken.RequestId), a => Assert.Equal(previous[a.RequestId], a.MachineId));
        Assert.True(free.TotalCost <= calm.TotalCost);
    }

    [Fact]
    public void With_a_penalty_the_solver_matches_an_exhaustive_search_of_cost_plus_penalty_per_change()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var random = new Random(seed);
            var machines = Enumerable.Range(1, random.Next(1, 6)).Select(i => Machine(i, 50 + (random.NextDouble() * 2), 8 + (random.NextDouble() * 4), rate: random.Next(50, 400),
                category: random.Next(4) == 0 ? "crane" : "excavator")).ToList();
            var requests = Enumerable.Range(1, random.Next(1, 6)).Select(i =>
            {
                var from = random.Next(0, 10);
                return Request(i, from, from + random.Next(1, 5), 50 + (random.NextDouble() * 2), 8 + (random.NextDouble() * 4), random.Next(5) == 0 ? "crane" : "excavator");
            }).ToList();
            var previous = requests.Where(_ => random.Next(3) > 0).ToDictionary(r => r.Id, _ => (long)random.Next(1, 7));
            var costs = new AllocationCosts(ChangePenalty: random.Next(0, 4) * 150);

            var plan = AllocationSolver.Solve(requests, machines, costs, previous: previous);
            var (served, objective) = Exhaustive(requests, machines, previous, costs.ChangePenaltyCents);

            Assert.True(served == plan.Assignments.Count, $"seed {seed}: served {plan.Assignments.Count}, exhaustive {served}");
            var mine = plan.Assignments.Sum(a => AllocationPricing.Cents(a) + (a.Moved ? costs.ChangePenaltyCents : 0));
            Assert.True(objective == mine, $"seed {seed}: objective {mine}, exhaustive {objective}");
            Assert.All(plan.Assignments, a => Assert.Equal(previous.TryGetValue(a.RequestId, out var had) && had != a.MachineId, a.Moved));
        }
    }

    /// <summary>Every way of giving each request a free capable machine or none: most served, then least price plus penalty per moved request.</summary>
    private static (int Served, long Objective) Exhaustive(List<SiteRequest> requests, List<FleetMachine> machines, Dictionary<long, long> previous, long penalty)
    {
        var best = (Served: -1, Objective: long.MaxValue);
        var held = machines.ToDictionary(m => m.Id, _ => new List<SiteRequest>());
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
            foreach (var machine in machines.Where(m => m.Category == request.Category && held[m.Id].All(o => o.To <= request.From || request.To <= o.From)))
            {
                var moved = previous.TryGetValue(request.Id, out var had) && had != machine.Id;
                held[machine.Id].Add(request);
                Visit(index + 1, served + 1, objective + AllocationPricing.Cents(AllocationPricing.Price(machine, request, AllocationCosts.Default)) + (moved ? penalty : 0));
                held[machine.Id].Remove(request);
            }
        }

        Visit(0, 0, 0);
        return best;
    }
}
