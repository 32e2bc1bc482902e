using Google.OrTools.Graph;

namespace Millwright.Features.Fleet;

/// <summary>
/// A component in which every machine can take at most one of its requests, solved as a min-cost flow
/// (source → request → machine → sink, unit capacities) over a few of each request's cheapest candidates first,
/// widened until the answer is provably optimal over all of them ("pricing" in column generation): when every
/// request is served, the flow is optimal over the full candidate lists exactly when no left-out arc has a
/// negative reduced cost under node potentials of the solved flow's residual graph (then the full residual graph
/// has no negative cycle). The potentials are shortest-path distances in that residual graph. A left-out arc
/// that prices negative is taken in and the flow solved again; when the narrow graph cannot serve every request,
/// the full lists are solved directly.
/// </summary>
internal static class AssignmentFlow
{
    /// <summary>Candidates per request in the first round; most requests' optimum is among their few cheapest.</summary>
    public const int InitialWidth = 8;

    /// <param name="lists">Per request of the component, its candidates cheapest first (already pruned to the provable bound).</param>
    /// <returns>Per request, the index into its list of the machine it gets, or -1.</returns>
    public static int[] Solve(IReadOnlyList<Candidate[]> lists)
    {
        var widths = lists.Select(l => Math.Min(l.Length, InitialWidth)).ToArray();
        while (true)
        {
            var graph = new Graph(lists, widths);
            var chosen = graph.Solve();
            var full = widths.AsSpan().SequenceEqual(lists.Select(l => l.Length).ToArray());
            if (full)
            {
                return chosen;
            }

            if (chosen.Any(c => c < 0))
            {
                widths = lists.Select(l => l.Length).ToArray();
                continue;
            }

            var potentials = graph.Potentials(chosen);
            var widened = false;
            for (var r = 0; r < lists.Count; r++)
            {
                for (var i = lists[r].Length - 1; i >= widths[r]; i--)
                {
                    var candidate = lists[r][i];
                    var head = graph.MachineNode(candidate.Machine) is var node && node >= 0 ? potentials[node] : potentials[Graph.Sink];
                    if (candidate.Cents + potentials[Graph.RequestNode(r)] - head < 0)
                    {
                        widths[r] = i + 1;
                        widened = true;
                        break;
                    }
                }
            }

            if (!widened)
            {
                return chosen;
            }
        }
    }

    private sealed class Graph
    {
        public const int Source = 0;
        public const int Sink = 1;

        private readonly IReadOnlyList<Candidate[]> _lists;
        private readonly Dictionary<int, int> _machineNodes = [];
        private readonly List<(int Request, int Index, int Node)> _arcs = [];

        public Graph(IReadOnlyList<Candidate[]> lists, int[] widths)
        {
            _lists = lists;
            var next = 2 + lists.Count;
            for (var r = 0; r < lists.Count; r++)
            {
                for (var i = 0; i < widths[r]; i++)
                {
                    if (!_machineNodes.TryGetValue(lists[r][i].Machine, out var node))
                    {
                        node = _machineNodes[lists[r][i].Machine] = next++;
                    }

                    _arcs.Add((r, i, node));
                }
            }

            NodeCount = next;
        }

        public int NodeCount { get; }

        public static int RequestNode(int r) => 2 + r;

        public int MachineNode(int machine) => _machineNodes.TryGetValue(machine, out var node) ? node : -1;

        /// <summary>Max flow at min cost: the most requests served, then the least cost.</summary>
        public int[] Solve()
        {
            var flow = new MinCostFlow();
            for (var r = 0; r < _lists.Count; r++)
            {
                flow.AddArcWithCapacityAndUnitCost(Source, RequestNode(r), 1, 0);
            }

            foreach (var node in _machineNodes.Values)
            {
                flow.AddArcWithCapacityAndUnitCost(node, Sink, 1, 0);
            }

            var first = -1;
            foreach (var (r, i, node) in _arcs)
            {
                var arc = flow.AddArcWithCapacityAndUnitCost(RequestNode(r), node, 1, _lists[r][i].Cents);
                first = first < 0 ? arc : first;
            }

            flow.SetNodeSupply(Source, _lists.Count);
            flow.SetNodeSupply(Sink, -_lists.Count);
            var status = flow.SolveMaxFlowWithMinCost();
            if (status != MinCostFlowBase.Status.OPTIMAL)
            {
                throw new InvalidOperationException($"min-cost flow ended {status}");
            }

            var chosen = Enumerable.Repeat(-1, _lists.Count).ToArray();
            for (var a = 0; a < _arcs.Count; a++)
            {
                if (flow.Flow(first + a) > 0)
                {
                    chosen[_arcs[a].Request] = _arcs[a].Index;
                }
            }

            return chosen;
        }

        /// <summary>
        /// Shortest-path distances in the residual graph of <paramref name="chosen"/> from a virtual root joined to
        /// every node at cost 0 (Bellman-Ford with a queue; the residual graph of an optimal flow has no negative
        /// cycle, so it ends). Every residual arc then has cost + d(tail) − d(head) ≥ 0.
        /// </summary>
        public long[] Potentials(int[] chosen)
        {
            var edges = new List<(int From, int To, long Cost)>[NodeCount];
            for (var v = 0; v < NodeCount; v++)
            {
                edges[v] = [];
            }

            var usedMachines = new HashSet<int>();
            for (var r = 0; r < _lists.Count; r++)
            {
                // Every request is served here (the caller checks), so only the reverse of source → request remains.
                edges[RequestNode(r)].Add((RequestNode(r), Source, 0));
            }

            foreach (var (r, i, node) in _arcs)
            {
                if (chosen[r] == i)
                {
                    edges[node].Add((node, RequestNode(r), -_lists[r][i].Cents));
                    usedMachines.Add(node);
                }
                else
                {
                    edges[RequestNode(r)].Add((RequestNode(r), node, _lists[r][i].Cents));
                }
            }

            foreach (var node in _machineNodes.Values)
            {
                edges[usedMachines.Contains(node) ? Sink : node].Add(usedMachines.Contains(node) ? (Sink, node, 0) : (node, Sink, 0));
            }

            var distance = new long[NodeCount];
            var queued = Enumerable.Repeat(true, NodeCount).ToArray();
            var queue = new Queue<int>(Enumerable.Range(0, NodeCount));
            while (queue.TryDequeue(out var u))
            {
                queued[u] = false;
                foreach (var (_, v, cost) in edges[u])
                {
                    if (distance[u] + cost < distance[v])
                    {
                        distance[v] = distance[u] + cost;
                        if (!queued[v])
                        {
                            queued[v] = true;
                            queue.Enqueue(v);
                        }
                    }
                }
            }

            return distance;
        }
    }
}
