namespace Millwright.Features.Fleet;

/// <summary>
/// Exact allocation of machines to job-site requests: first as many requests served as possible, then the least
/// total cost. Requests that share no candidate machine are independent, so the problem splits into components.
/// A component in which no machine could take two of its requests (their ranges overlap) is a linear assignment,
/// solved as a min-cost flow; otherwise a machine may take several requests whose ranges do not overlap, and the
/// component is an integer program solved to optimality by CP-SAT. In both, each request keeps only its n
/// cheapest candidates (n = the component's requests): if an optimum used a dearer one, one of those n would
/// be free over the request's range (each other request occupies at most one), and moving there costs no more.
/// The flow starts from fewer still and takes in more only while pricing shows they could lower the cost
/// (<see cref="AssignmentFlow"/>); candidates are found and priced without allocating per pair (<see cref="AllocationCandidates"/>).
/// With operators, components also join requests sharing a possible operator, the flow runs through operators
/// (<see cref="CrewFlow"/>) and the integer program gets operator variables (<see cref="AllocationCpSat"/>).
/// </summary>
internal static class AllocationSolver
{
    /// <param name="previous">The plan being re-planned (request id → machine id): each request given another machine adds
    /// <see cref="AllocationCosts.ChangePenalty"/> to the objective, so the optimum keeps assignments unless a change saves more.</param>
    /// <param name="operators">When given, every assignment also needs an operator licensed for the request's machine type over
    /// its range and not away; an operator, like a machine, serves requests whose ranges do not overlap.</param>
    public static AllocationPlan Solve(IReadOnlyList<SiteRequest> requests, IReadOnlyList<FleetMachine> machines, AllocationCosts? costs = null, TimeSpan? cpTimeLimit = null,
        IReadOnlyDictionary<long, long>? previous = null, IReadOnlyList<FleetOperator>? operators = null)
    {
        costs ??= AllocationCosts.Default;
        var found = AllocationCandidates.Find(requests, machines, costs, previous);
        Assignment Priced(FleetMachine machine, SiteRequest request) =>
            AllocationPricing.Price(machine, request, costs) with { Moved = previous is not null && previous.TryGetValue(request.Id, out var had) && had != machine.Id };
        // Per request, the operators who may drive it (indices into operators); null when the plan has no operators.
        var crews = operators is null ? null
            : requests.Select(r => Enumerable.Range(0, operators.Count).Where(o => operators[o].CanDrive(r)).ToArray()).ToArray();
        var unserved = new List<Unserved>();
        var candidates = (Candidate[][])found.Lists.Clone();
        for (var r = 0; r < requests.Count; r++)
        {
            if (found.Lists[r].Length == 0)
            {
                unserved.Add(new Unserved(requests[r].Id, found.Capable[r] == 0
                    ? $"no machine of category '{requests[r].Category}' has {Describe(requests[r].MinCapabilities)}"
                    : $"all {found.Capable[r]} capable machines are unavailable (maintenance) during the request"));
            }
            else if (crews is not null && crews[r].Length == 0)
            {
                unserved.Add(new Unserved(requests[r].Id, $"no operator licensed for '{requests[r].Category}' over the whole range is available"));
                candidates[r] = [];
            }
        }

        var assignments = new List<Assignment>();
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var component in Components(candidates, machines.Count, crews, operators?.Count ?? 0))
        {
            var n = component.Count;
            var lists = component.Select(r => Cheapest(candidates[r], n)).ToList();
            var sequential = MayTakeTwo(component, lists.Select(l => l.Select(c => c.Machine)).ToList(), requests)
                || (crews is not null && MayTakeTwo(component, component.Select(r => (IEnumerable<int>)crews[r]).ToList(), requests));
            List<Assignment> chosen;
            if (sequential)
            {
                var pruned = component.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => lists[x.i].Select(c => Priced(machines[c.Machine], requests[x.r])).ToList());
                chosen = AllocationCpSat.Solve(requests, pruned, crews, operators, cpTimeLimit ?? TimeSpan.FromSeconds(20), costs.ChangePenaltyCents);
            }
            else if (crews is not null)
            {
                var (picks, drivers) = CrewFlow.Solve(lists, component.Select(r => crews[r]).ToList());
                chosen = [.. component.Select((r, i) => picks[i] < 0 ? null
                    : Priced(machines[lists[i][picks[i]].Machine], requests[r]) with { OperatorId = operators![drivers[i]].Id }).OfType<Assignment>()];
            }
            else
            {
                var picks = AssignmentFlow.Solve(lists);
                chosen = [.. component.Select((r, i) => picks[i] < 0 ? null : Priced(machines[lists[i][picks[i]].Machine], requests[r])).OfType<Assignment>()];
            }

            methods.Add(sequential ? "cp-sat" : "min-cost-flow");
            assignments.AddRange(chosen);
            var served = chosen.Select(a => a.RequestId).ToHashSet();
            unserved.AddRange(component.Where(r => !served.Contains(requests[r].Id))
                .Select(r => new Unserved(requests[r].Id, crews is null
                    ? "every capable machine is taken by other requests over its range"
                    : "every capable machine or licensed operator is taken by other requests over its range")));
        }

        var now = assignments.ToDictionary(a => a.RequestId, a => a.MachineId);
        var asked = requests.Select(r => r.Id).ToHashSet();
        var changes = previous?.Count(p => asked.Contains(p.Key) && (!now.TryGetValue(p.Key, out var m) || m != p.Value)) ?? 0;
        return new AllocationPlan(assignments.OrderBy(a => a.RequestId).ToList(), unserved.OrderBy(u => u.RequestId).ToList(),
            methods.Count == 0 ? "none" : string.Join("+", methods)) { Changes = changes };
    }

    /// <summary>
    /// The n cheapest candidates (ties by machine id), cheapest first: a selection moves them to the front in
    /// linear time, and only those n are sorted (a request has thousands of candidates, a component hundreds of requests).
    /// </summary>
    private static Candidate[] Cheapest(Candidate[] list, int n)
    {
        var copy = (Candidate[])list.Clone();
        if (n < copy.Length)
        {
            Select(copy, n);
        }

        var front = copy.AsSpan(0, Math.Min(n, copy.Length));
        front.Sort();
        return front.ToArray();
    }

    /// <summary>Reorders so that the n smallest come first (Hoare partitions around a middle pivot, narrowing to the side holding position n).</summary>
    private static void Select(Candidate[] a, int n)
    {
        int lo = 0, hi = a.Length - 1;
        while (lo < hi)
        {
            var pivot = a[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i].CompareTo(pivot) < 0)
                {
                    i++;
                }

                while (a[j].CompareTo(pivot) > 0)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            // Now a[lo..j] <= pivot <= a[i..hi], and anything between equals the pivot.
            if (n - 1 <= j)
            {
                hi = j;
            }
            else if (n - 1 >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Requests (by index) grouped so that two requests sharing a candidate machine or operator are in one group.</summary>
    private static List<List<int>> Components(Candidate[][] candidates, int machineCount, int[][]? crews, int operatorCount)
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

        var owner = new int[machineCount];
        Array.Fill(owner, -1);
        for (var r = 0; r < candidates.Length; r++)
        {
            foreach (var candidate in candidates[r])
            {
                if (owner[candidate.Machine] is var other && other >= 0)
                {
                    parent[Find(r)] = Find(other);
                }
                else
                {
                    owner[candidate.Machine] = r;
                }
            }
        }

        var driver = new int[operatorCount];
        Array.Fill(driver, -1);
        for (var r = 0; crews is not null && r < candidates.Length; r++)
        {
            foreach (var o in candidates[r].Length == 0 ? [] : crews[r])
            {
                if (driver[o] is var other && other >= 0)
                {
                    parent[Find(r)] = Find(other);
                }
                else
                {
                    driver[o] = r;
                }
            }
        }

        return Enumerable.Range(0, candidates.Length).Where(r => candidates[r].Length > 0)
            .GroupBy(Find).Select(g => g.ToList()).ToList();
    }

    /// <summary>
    /// Whether some resource (machine or operator) could take two of the component's requests: among the requests
    /// listing it, the latest start is at or after the earliest end (ranges overlap pairwise exactly when it is not).
    /// </summary>
    private static bool MayTakeTwo(List<int> component, List<IEnumerable<int>> lists, IReadOnlyList<SiteRequest> requests)
    {
        var latestStart = new Dictionary<int, long>();
        var earliestEnd = new Dictionary<int, long>();
        for (var i = 0; i < component.Count; i++)
        {
            var request = requests[component[i]];
            foreach (var resource in lists[i])
            {
                latestStart[resource] = latestStart.TryGetValue(resource, out var start) ? Math.Max(start, request.From) : request.From;
                earliestEnd[resource] = earliestEnd.TryGetValue(resource, out var end) ? Math.Min(end, request.To) : request.To;
            }
        }

        return latestStart.Any(p => p.Value >= earliestEnd[p.Key]);
    }

    private static string Describe(IReadOnlyDictionary<string, double> min) =>
        min.Count == 0 ? "any capability" : string.Join(", ", min.Select(c => FormattableString.Invariant($"{c.Key} ≥ {c.Value}")));
}
