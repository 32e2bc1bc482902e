using Google.OrTools.Graph;

namespace Millwright.Features.Fleet;

/// <summary>
/// A component in which every machine and every operator can take at most one of its requests, as one min-cost
/// flow: source → operator → request in → request out → machine → sink, unit capacities, the price on the
/// request → machine arcs. The request's in → out arc of capacity 1 lets it be served once; a unit of flow is a
/// request with its operator and machine, so the max flow at min cost serves the most requests at the least total
/// price (flows with integer capacities have integral optima, so this is exact).
/// </summary>
internal static class CrewFlow
{
    /// <param name="lists">Per request, its candidates cheapest first (pruned to the provable bound).</param>
    /// <param name="crews">Per request, the operators (indices) who may drive it.</param>
    /// <returns>Per request, the index into its list of its machine and the operator who drives it, or -1 for both.</returns>
    public static (int[] Machines, int[] Operators) Solve(IReadOnlyList<Candidate[]> lists, IReadOnlyList<int[]> crews)
    {
        const int Source = 0, Sink = 1;
        var nodes = new Dictionary<(char Kind, int Index), int>();
        int Node(char kind, int index) => nodes.TryGetValue((kind, index), out var n) ? n : nodes[(kind, index)] = 2 + nodes.Count;

        var flow = new MinCostFlow();
        var driverArcs = new List<(int Arc, int Request, int Operator)>();
        var machineArcs = new List<(int Arc, int Request, int Index)>();
        var seenOperators = new HashSet<int>();
        var seenMachines = new HashSet<int>();
        for (var r = 0; r < lists.Count; r++)
        {
            flow.AddArcWithCapacityAndUnitCost(Node('i', r), Node('o', r), 1, 0);
            foreach (var o in crews[r])
            {
                if (seenOperators.Add(o))
                {
                    flow.AddArcWithCapacityAndUnitCost(Source, Node('p', o), 1, 0);
                }

                driverArcs.Add((flow.AddArcWithCapacityAndUnitCost(Node('p', o), Node('i', r), 1, 0), r, o));
            }

            for (var i = 0; i < lists[r].Length; i++)
            {
                var machine = lists[r][i].Machine;
                if (seenMachines.Add(machine))
                {
                    flow.AddArcWithCapacityAndUnitCost(Node('m', machine), Sink, 1, 0);
                }

                machineArcs.Add((flow.AddArcWithCapacityAndUnitCost(Node('o', r), Node('m', machine), 1, lists[r][i].Cents), r, i));
            }
        }

        flow.SetNodeSupply(Source, lists.Count);
        flow.SetNodeSupply(Sink, -lists.Count);
        var status = flow.SolveMaxFlowWithMinCost();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"min-cost flow with operators ended {status}");
        }

        var machines = Enumerable.Repeat(-1, lists.Count).ToArray();
        var operators = Enumerable.Repeat(-1, lists.Count).ToArray();
        foreach (var (arc, r, i) in machineArcs.Where(a => flow.Flow(a.Arc) > 0))
        {
            machines[r] = i;
        }

        foreach (var (arc, r, o) in driverArcs.Where(a => flow.Flow(a.Arc) > 0))
        {
            operators[r] = o;
        }

        return (machines, operators);
    }
}
