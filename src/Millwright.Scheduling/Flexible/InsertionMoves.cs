namespace Millwright.Scheduling.Flexible;

/// <summary>
/// One candidate: put operation Op on its option Option's machine right after After (-1: first), giving Makespan;
/// Through is the longest path through Op after the move (the tie-break: among equal makespans, the move that takes
/// the moved operation furthest off the critical path).
/// </summary>
internal readonly record struct InsertionMove(int Op, int Option, int After, int Makespan, int Through);

/// <summary>
/// The reinsertion neighbourhood of Mastrolilli and Gambardella (2000) for the flexible job shop, evaluated exactly:
/// a critical operation v is taken off its machine (and given length 0 in place, so its job arcs still order its
/// neighbours), heads and tails are recomputed for the part of the topological order v can affect, and then v is
/// tried on each of its machines at each position between the last operation that must precede it and the first
/// that must follow it (their sets from heads and tails; every such position keeps the graph acyclic). The makespan
/// after a move is the larger of the reduced graph's makespan and the longest path through v, which is exact because
/// no other path can use v.
/// </summary>
internal sealed class InsertionMoves
{
    private readonly FlexibleProblem _p;
    private readonly int[] _head;
    private readonly int[] _tail;
    private readonly int[] _prefixEnd;
    private readonly List<int> _sequence = [];

    public InsertionMoves(FlexibleProblem problem)
    {
        _p = problem;
        _head = new int[problem.Count];
        _tail = new int[problem.Count];
        _prefixEnd = new int[problem.Count + 1];
    }

    /// <summary>Call after every <see cref="FlexibleGraph.Evaluate"/>, before <see cref="Collect"/>: the largest end over each prefix of the topological order.</summary>
    public void Prepare(FlexibleGraph g)
    {
        _prefixEnd[0] = 0;
        for (var i = 0; i < _p.Count; i++)
        {
            var op = g.Topo[i];
            _prefixEnd[i + 1] = Math.Max(_prefixEnd[i], g.Head[op] + g.Duration[op]);
        }
    }

    /// <summary>Adds every move of <paramref name="v"/> except putting it back where it is.</summary>
    public void Collect(FlexibleGraph g, int v, List<InsertionMove> moves)
    {
        var reduced = Reduce(g, v);
        var (rv, qv) = (_head[v], _tail[v]);
        var options = _p.OptionMachine[v];
        for (var o = 0; o < options.Length; o++)
        {
            var k = options[o];
            var length = _p.OptionDuration[v][o];
            _sequence.Clear();
            for (var x = g.First[k]; x >= 0; x = g.MachineNext[x])
            {
                if (x != v)
                {
                    _sequence.Add(x);
                }
            }

            // Before v: operations that may reach v and cannot follow it; after v: those that may follow and cannot reach it.
            int lo = 0, hi = _sequence.Count;
            for (var i = 0; i < _sequence.Count; i++)
            {
                var x = _sequence[i];
                var mayFollow = _head[x] + g.Duration[x] > rv;
                var mayPrecede = g.Duration[x] + _tail[x] > qv;
                if (mayPrecede && !mayFollow)
                {
                    lo = i + 1;
                }
                else if (mayFollow && !mayPrecede && hi == _sequence.Count)
                {
                    hi = i;
                }
            }

            for (var pos = lo; pos <= hi; pos++)
            {
                var u = pos > 0 ? _sequence[pos - 1] : -1;
                if (k == g.Machine[v] && u == g.MachinePrev[v])
                {
                    continue;
                }

                var w = pos < _sequence.Count ? _sequence[pos] : -1;
                var start = u >= 0 ? Math.Max(rv, _head[u] + g.Duration[u]) : rv;
                var after = w >= 0 ? Math.Max(qv, g.Duration[w] + _tail[w]) : qv;
                var through = start + length + after;
                moves.Add(new InsertionMove(v, o, u, Math.Max(reduced, through), through));
            }
        }
    }

    /// <summary>Heads and tails with v off its machine and of length 0; returns that graph's makespan.</summary>
    private int Reduce(FlexibleGraph g, int v)
    {
        var n = _p.Count;
        var at = g.TopoIndex[v];
        var (vPrev, vNext) = (g.MachinePrev[v], g.MachineNext[v]);
        Array.Copy(g.Head, _head, n);
        Array.Copy(g.Tail, _tail, n);
        var makespan = _prefixEnd[at];
        for (var i = at; i < n; i++)
        {
            var x = g.Topo[i];
            var head = _p.Release[x];
            if (_p.JobPrev[x] is var jp and >= 0)
            {
                head = Math.Max(head, _head[jp] + Length(g, jp, v));
            }

            var mp = x == v ? -1 : g.MachinePrev[x] == v ? vPrev : g.MachinePrev[x];
            if (mp >= 0)
            {
                head = Math.Max(head, _head[mp] + g.Duration[mp]);
            }

            _head[x] = head;
            makespan = Math.Max(makespan, head + Length(g, x, v));
        }

        for (var i = at; i >= 0; i--)
        {
            var x = g.Topo[i];
            var tail = 0;
            if (_p.JobNext[x] is var js and >= 0)
            {
                tail = _tail[js] + Length(g, js, v);
            }

            var ms = x == v ? -1 : g.MachineNext[x] == v ? vNext : g.MachineNext[x];
            if (ms >= 0)
            {
                tail = Math.Max(tail, _tail[ms] + g.Duration[ms]);
            }

            _tail[x] = tail;
        }

        return makespan;
    }

    private static int Length(FlexibleGraph g, int x, int v) => x == v ? 0 : g.Duration[x];
}
