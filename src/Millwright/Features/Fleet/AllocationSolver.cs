using Google.OrTools.Graph;
using Google.OrTools.Sat;

namespace Millwright.Features.Fleet;

/// <summary>
/// Exact allocation of machines to job-site requests: first as many requests served as possible, then the least
/// total cost. Requests that share no candidate machine are independent, so the problem splits into components.
/// A component in which no machine could take two of its requests (their ranges overlap) is a linear assignment,
/// solved as a min-cost flow; otherwise a machine may take several requests whose ranges do not overlap, and the
/// component is an integer program solved to optimality by CP-SAT. In both, each request keeps only its n
/// cheapest candidates (n = the component's requests): if an optimum used a dearer one, one of those n would
/// be free over the request's range (each other request occupies at most one), and moving there costs no more.
/// </summary>
internal static class AllocationSolver
{
    public static AllocationPlan Solve(IReadOnlyList<SiteRequest> requests, IReadOnlyList<FleetMachine> machines, AllocationCosts? costs = null, TimeSpan? cpTimeLimit = null)
    {
        costs ??= AllocationCosts.Default;
        var unserved = new List<Unserved>();
        var candidates = new (long Cents, int Machine)[requests.Count][];
        var byCategory = Enumerable.Range(0, machines.Count).GroupBy(i => machines[i].Category, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < requests.Count; r++)
        {
            var request = requests[r];
            var capable = byCategory.TryGetValue(request.Category, out var same) ? same.Where(m => AllocationPricing.IsCapable(machines[m], request)).ToList() : [];
            // Prices as plain integers first: records only for the candidates that survive the pruning below.
            var list = new List<(long Cents, int Machine)>(capable.Count);
            foreach (var m in capable)
            {
                if (AllocationPricing.CanServe(machines[m], request))
                {
                    list.Add((AllocationPricing.Cents(AllocationPricing.Price(machines[m], request, costs)), m));
                }
            }

            list.Sort((a, b) => a.Cents != b.Cents ? a.Cents.CompareTo(b.Cents) : machines[a.Machine].Id.CompareTo(machines[b.Machine].Id));
            candidates[r] = [.. list];
            if (list.Count == 0)
            {
                unserved.Add(new Unserved(request.Id, capable.Count == 0
                    ? $"no machine of category '{request.Category}' has {Describe(request.MinCapabilities)}"
                    : $"all {capable.Count} capable machines are unavailable (maintenance) during the request"));
            }
        }

        var assignments = new List<Assignment>();
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var component in Components(candidates))
        {
            var n = component.Count;
            var pruned = component.ToDictionary(r => r, r => candidates[r].Take(n).Select(c => AllocationPricing.Price(machines[c.Machine], requests[r], costs)).ToList());
            var shared = pruned.SelectMany(p => p.Value.Select(a => (Machine: a.MachineId, Request: p.Key))).GroupBy(x => x.Machine);
            // Intervals overlap pairwise exactly when the latest start comes before the earliest end.
            var sequential = shared.Any(g => g.Max(x => requests[x.Request].From) >= g.Min(x => requests[x.Request].To));
            var chosen = sequential ? SolveWithCpSat(requests, pruned, cpTimeLimit ?? TimeSpan.FromSeconds(20)) : SolveWithFlow(pruned);
            methods.Add(sequential ? "cp-sat" : "min-cost-flow");
            assignments.AddRange(chosen);
            var served = chosen.Select(a => a.RequestId).ToHashSet();
            unserved.AddRange(component.Where(r => !served.Contains(requests[r].Id))
                .Select(r => new Unserved(requests[r].Id, "every capable machine is taken by other requests over its range")));
        }

        return new AllocationPlan(assignments.OrderBy(a => a.RequestId).ToList(), unserved.OrderBy(u => u.RequestId).ToList(),
            methods.Count == 0 ? "none" : string.Join("+", methods));
    }

    /// <summary>Requests (by index) grouped so that two requests sharing a candidate machine are in one group.</summary>
    private static List<List<int>> Components((long Cents, int Machine)[][] candidates)
    {
        var parent = Enumerable.Range(0, candidates.Length).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                x = parent[x] = parent[parent[x]];
            }

            return x;
        }

        var owner = new Dictionary<int, int>();
        for (var r = 0; r < candidates.Length; r++)
        {
            foreach (var (_, machine) in candidates[r])
            {
                if (owner.TryGetValue(machine, out var other))
                {
                    parent[Find(r)] = Find(other);
                }
                else
                {
                    owner[machine] = r;
                }
            }
        }

        return Enumerable.Range(0, candidates.Length).Where(r => candidates[r].Length > 0)
            .GroupBy(Find).Select(g => g.ToList()).ToList();
    }

    /// <summary>source → request (1) → machine (1, its price) → sink (1); most flow first, then least cost.</summary>
    private static List<Assignment> SolveWithFlow(Dictionary<int, List<Assignment>> pruned)
    {
        var flow = new MinCostFlow();
        var machineNodes = new Dictionary<long, int>();
        var requestCount = pruned.Count;
        const int source = 0;
        var sink = 1;
        var next = 2 + requestCount;
        var arcs = new List<(int Arc, Assignment Assignment)>();
        var node = 2;
        foreach (var (_, options) in pruned)
        {
            var requestNode = node++;
            flow.AddArcWithCapacityAndUnitCost(source, requestNode, 1, 0);
            foreach (var option in options)
            {
                if (!machineNodes.TryGetValue(option.MachineId, out var machineNode))
                {
                    machineNode = machineNodes[option.MachineId] = next++;
                    flow.AddArcWithCapacityAndUnitCost(machineNode, sink, 1, 0);
                }

                arcs.Add((flow.AddArcWithCapacityAndUnitCost(requestNode, machineNode, 1, AllocationPricing.Cents(option)), option));
            }
        }

        flow.SetNodeSupply(source, requestCount);
        flow.SetNodeSupply(sink, -requestCount);
        var status = flow.SolveMaxFlowWithMinCost();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"min-cost flow ended {status}");
        }

        return arcs.Where(a => flow.Flow(a.Arc) > 0).Select(a => a.Assignment).ToList();
    }

    /// <summary>
    /// x[r, m] for every pruned candidate; each request at most once; for each machine, the requests covering
    /// any one request's start take it at most once (that is every clique of overlapping ranges). An unserved
    /// request costs more than all prices together, so serving more always wins.
    /// </summary>
    private static List<Assignment> SolveWithCpSat(IReadOnlyList<SiteRequest> requests, Dictionary<int, List<Assignment>> pruned, TimeSpan limit)
    {
        var model = new CpModel();
        var vars = new List<(BoolVar Var, Assignment Assignment, int Request)>();
        foreach (var (r, options) in pruned)
        {
            var mine = options.Select(o => (Var: model.NewBoolVar($"x{r}_{o.MachineId}"), o)).ToList();
            model.AddAtMostOne(mine.Select(m => (ILiteral)m.Var));
            vars.AddRange(mine.Select(m => (m.Var, m.o, r)));
        }

        foreach (var perMachine in vars.GroupBy(v => v.Assignment.MachineId))
        {
            var list = perMachine.ToList();
            foreach (var (_, _, r) in list)
            {
                var start = requests[r].From;
                var covering = list.Where(v => requests[v.Request].From <= start && start < requests[v.Request].To).Select(v => (ILiteral)v.Var).ToList();
                if (covering.Count > 1)
                {
                    model.AddAtMostOne(covering);
                }
            }
        }

        var penalty = vars.Sum(v => AllocationPricing.Cents(v.Assignment)) + 1;
        model.Minimize(LinearExpr.WeightedSum(vars.Select(v => v.Var), vars.Select(v => AllocationPricing.Cents(v.Assignment) - penalty)));
        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{limit.TotalSeconds} num_workers:2" };
        var status = solver.Solve(model);
        if (status != CpSolverStatus.Optimal)
        {
            throw new InvalidOperationException($"CP-SAT did not prove an optimum within {limit.TotalSeconds} s (status {status})");
        }

        return vars.Where(v => solver.BooleanValue(v.Var)).Select(v => v.Assignment).ToList();
    }

    private static string Describe(IReadOnlyDictionary<string, double> min) =>
        min.Count == 0 ? "any capability" : string.Join(", ", min.Select(c => FormattableString.Invariant($"{c.Key} ≥ {c.Value}")));
}
