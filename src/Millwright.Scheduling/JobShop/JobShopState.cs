namespace Millwright.Scheduling.JobShop;

/// <summary>
/// One solution of a classic job shop as its disjunctive graph: the order of operations on each machine, with heads
/// (earliest starts) and tails (longest path from an operation's end to the sink) recomputed in topological order.
/// </summary>
internal sealed class JobShopState
{
    private readonly JobShopProblem _p;
    private readonly int[] _indegree;
    private readonly int[] _order;

    public JobShopState(JobShopProblem problem)
    {
        _p = problem;
        var n = problem.Count;
        Sequence = problem.MachineOps.Select(ops => (int[])ops.Clone()).ToArray();
        Position = new int[n];
        MachinePred = new int[n];
        MachineSucc = new int[n];
        Head = new int[n];
        Tail = new int[n];
        _indegree = new int[n];
        _order = new int[n];
    }

    /// <summary>Operations in processing order, per machine.</summary>
    public int[][] Sequence { get; }

    public int[] Position { get; }

    public int[] MachinePred { get; }

    public int[] MachineSucc { get; }

    public int[] Head { get; }

    public int[] Tail { get; }

    public int Makespan { get; private set; }

    public void CopyFrom(JobShopState other)
    {
        for (var m = 0; m < Sequence.Length; m++)
        {
            Array.Copy(other.Sequence[m], Sequence[m], Sequence[m].Length);
        }

        Array.Copy(other.Position, Position, Position.Length);
        Array.Copy(other.MachinePred, MachinePred, MachinePred.Length);
        Array.Copy(other.MachineSucc, MachineSucc, MachineSucc.Length);
        Array.Copy(other.Head, Head, Head.Length);
        Array.Copy(other.Tail, Tail, Tail.Length);
        Makespan = other.Makespan;
    }

    /// <summary>
    /// Orders each machine by (key, operation number) and evaluates. Keys that never decrease along a job give an
    /// acyclic graph: every arc then goes up in that lexicographic order.
    /// </summary>
    public void LoadFromKeys(double[] key)
    {
        for (var m = 0; m < Sequence.Length; m++)
        {
            Array.Sort(Sequence[m], (a, b) => key[a] != key[b] ? key[a].CompareTo(key[b]) : a.CompareTo(b));
        }

        RebuildLinks();
        if (!Evaluate())
        {
            throw new InvalidOperationException("keys that never decrease along a job cannot give a cycle");
        }
    }

    public void RebuildLinks()
    {
        for (var m = 0; m < Sequence.Length; m++)
        {
            RelinkRange(m, 0, Sequence[m].Length - 1);
        }
    }

    /// <summary>Moves the operation at position <paramref name="from"/> of machine <paramref name="m"/> to position <paramref name="to"/>.</summary>
    public void Move(int m, int from, int to)
    {
        var seq = Sequence[m];
        var op = seq[from];
        if (from < to)
        {
            Array.Copy(seq, from + 1, seq, from, to - from);
        }
        else
        {
            Array.Copy(seq, to, seq, to + 1, from - to);
        }

        seq[to] = op;
        RelinkRange(m, Math.Min(from, to), Math.Max(from, to));
    }

    /// <summary>Heads, tails and makespan in O(n) by Kahn's algorithm; false when the machine orders make a cycle.</summary>
    public bool Evaluate()
    {
        var n = _p.Count;
        var jp = _p.JobPred;
        var js = _p.JobSucc;
        var dur = _p.Duration;
        var mp = MachinePred;
        var ms = MachineSucc;
        var head = Head;
        var order = _order;
        var indeg = _indegree;
        var top = 0;
        for (var i = 0; i < n; i++)
        {
            var d = (jp[i] >= 0 ? 1 : 0) + (mp[i] >= 0 ? 1 : 0);
            indeg[i] = d;
            if (d == 0)
            {
                order[top++] = i;
            }
        }

        // order doubles as the queue: [done..top) waits, [0..done) is processed in topological order.
        var done = 0;
        while (done < top)
        {
            var x = order[done++];
            var a = jp[x];
            var b = mp[x];
            var h = a >= 0 ? head[a] + dur[a] : 0;
            if (b >= 0 && head[b] + dur[b] > h)
            {
                h = head[b] + dur[b];
            }

            head[x] = h;
            var s = js[x];
            if (s >= 0 && --indeg[s] == 0)
            {
                order[top++] = s;
            }

            s = ms[x];
            if (s >= 0 && --indeg[s] == 0)
            {
                order[top++] = s;
            }
        }

        if (done < n)
        {
            return false;
        }

        var tail = Tail;
        var makespan = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            var x = order[i];
            var a = js[x];
            var b = ms[x];
            var t = a >= 0 ? tail[a] + dur[a] : 0;
            if (b >= 0 && tail[b] + dur[b] > t)
            {
                t = tail[b] + dur[b];
            }

            tail[x] = t;
            if (head[x] + dur[x] + t > makespan)
            {
                makespan = head[x] + dur[x] + t;
            }
        }

        Makespan = makespan;
        return true;
    }

    /// <summary>A fingerprint of the machine orders, to keep copies of one solution out of the elite pool.</summary>
    public ulong Fingerprint()
    {
        var hash = 1469598103934665603UL;
        foreach (var seq in Sequence)
        {
            foreach (var op in seq)
            {
                hash = (hash ^ (uint)op) * 1099511628211UL;
            }
        }

        return hash;
    }

    private void RelinkRange(int m, int from, int to)
    {
        var seq = Sequence[m];
        for (var i = from; i <= to; i++)
        {
            var op = seq[i];
            Position[op] = i;
            MachinePred[op] = i > 0 ? seq[i - 1] : -1;
            MachineSucc[op] = i < seq.Length - 1 ? seq[i + 1] : -1;
        }

        if (from > 0)
        {
            MachineSucc[seq[from - 1]] = seq[from];
        }

        if (to < seq.Length - 1)
        {
            MachinePred[seq[to + 1]] = seq[to];
        }
    }
}
