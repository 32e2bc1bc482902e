namespace Millwright.Scheduling.JobShop;

/// <summary>
/// Moves of one critical path, after Zhang et al.'s neighbourhood (N7, extending Nowicki and Smutnicki's N5): in each
/// critical block, an operation moves to the front or back of the block, or the block's first or last operation moves
/// inside it. Moves that could make a cycle are left out by Balas and Vazacopoulos's sufficient conditions on heads
/// and tails; each remaining move is scored by recomputing heads and tails on the moved segment only.
/// </summary>
internal sealed class CriticalNeighbourhood
{
    private readonly JobShopProblem _p;
    private readonly int[] _path;
    private readonly int[] _segment;
    private readonly int[] _segmentHead;

    public CriticalNeighbourhood(JobShopProblem problem)
    {
        _p = problem;
        _path = new int[problem.Count];
        _segment = new int[problem.MaxPerMachine];
        _segmentHead = new int[problem.MaxPerMachine];
        var capacity = (4 * problem.Count) + 16;
        Machine = new int[capacity];
        From = new int[capacity];
        To = new int[capacity];
    }

    public int Count { get; private set; }

    public int[] Machine { get; }

    public int[] From { get; }

    public int[] To { get; }

    /// <summary>Finds a critical path (ties broken at random) and lists the feasible moves of its blocks.</summary>
    public void Build(JobShopState s, Random random)
    {
        Count = 0;
        var dur = _p.Duration;
        var head = s.Head;
        var end = -1;
        var ties = 0;
        for (var op = 0; op < _p.Count; op++)
        {
            if (head[op] + dur[op] == s.Makespan && random.Next(++ties) == 0)
            {
                end = op;
            }
        }

        var length = 0;
        for (var x = end; x >= 0;)
        {
            _path[length++] = x;
            var a = _p.JobPred[x];
            var b = s.MachinePred[x];
            var viaJob = a >= 0 && head[a] + dur[a] == head[x];
            var viaMachine = b >= 0 && head[b] + dur[b] == head[x];
            x = viaJob && viaMachine ? (random.Next(2) == 0 ? a : b) : viaJob ? a : viaMachine ? b : -1;
        }

        Array.Reverse(_path, 0, length);
        for (var i = 0; i < length;)
        {
            var j = i;
            while (j + 1 < length && s.MachineSucc[_path[j]] == _path[j + 1])
            {
                j++;
            }

            if (j > i)
            {
                AddBlock(s, _p.Machine[_path[i]], s.Position[_path[i]], s.Position[_path[j]]);
            }

            i = j + 1;
        }
    }

    /// <summary>
    /// Estimated makespan after moving the operation at <paramref name="from"/> to <paramref name="to"/>: the longest
    /// path through the moved segment, with heads and tails outside it taken as they are now.
    /// </summary>
    public int Estimate(JobShopState s, int m, int from, int to)
    {
        var seq = s.Sequence[m];
        var dur = _p.Duration;
        var head = s.Head;
        var tail = s.Tail;
        int lo, hi, n = 0;
        if (from < to)
        {
            (lo, hi) = (from, to);
            for (var i = from + 1; i <= to; i++)
            {
                _segment[n++] = seq[i];
            }

            _segment[n++] = seq[from];
        }
        else
        {
            (lo, hi) = (to, from);
            _segment[n++] = seq[from];
            for (var i = to; i < from; i++)
            {
                _segment[n++] = seq[i];
            }
        }

        var previousEnd = lo > 0 ? head[seq[lo - 1]] + dur[seq[lo - 1]] : 0;
        for (var i = 0; i < n; i++)
        {
            var x = _segment[i];
            var a = _p.JobPred[x];
            var h = a >= 0 ? head[a] + dur[a] : 0;
            if (previousEnd > h)
            {
                h = previousEnd;
            }

            _segmentHead[i] = h;
            previousEnd = h + dur[x];
        }

        var nextTail = hi < seq.Length - 1 ? tail[seq[hi + 1]] + dur[seq[hi + 1]] : 0;
        var longest = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            var x = _segment[i];
            var b = _p.JobSucc[x];
            var t = b >= 0 ? tail[b] + dur[b] : 0;
            if (nextTail > t)
            {
                t = nextTail;
            }

            nextTail = t + dur[x];
            if (_segmentHead[i] + dur[x] + t > longest)
            {
                longest = _segmentHead[i] + dur[x] + t;
            }
        }

        return longest;
    }

    private void AddBlock(JobShopState s, int m, int first, int last)
    {
        var single = last - first == 1;
        for (var t = first + 1; t <= last; t++)
        {
            Add(s, m, t, first);
        }

        for (var t = first; t < last; t++)
        {
            if (!(single && t == first))
            {
                Add(s, m, t, last);
            }
        }

        for (var t = first + 2; t < last; t++)
        {
            Add(s, m, first, t);
        }

        for (var t = first + 1; t < last - 1; t++)
        {
            Add(s, m, last, t);
        }
    }

    private void Add(JobShopState s, int m, int from, int to)
    {
        var seq = s.Sequence[m];
        var dur = _p.Duration;
        if (from < to)
        {
            // u goes right after v: safe unless a path leaves u's job successor and reaches v (Balas–Vazacopoulos).
            var u = seq[from];
            var v = seq[to];
            var next = _p.JobSucc[u];
            if (next >= 0 && dur[v] + s.Tail[v] < dur[next] + s.Tail[next])
            {
                return;
            }
        }
        else
        {
            var v = seq[from];
            var u = seq[to];
            var previous = _p.JobPred[v];
            if (previous >= 0 && s.Head[u] + dur[u] < s.Head[previous] + dur[previous])
            {
                return;
            }
        }

        if (_p.RevisitsMachines && PassesOwnJob(seq, from, to))
        {
            return;
        }

        Machine[Count] = m;
        From[Count] = from;
        To[Count] = to;
        Count++;
    }

    /// <summary>True when the moved operation would jump over another operation of its own job on this machine.</summary>
    private bool PassesOwnJob(int[] seq, int from, int to)
    {
        var job = _p.JobOf[seq[from]];
        var (lo, hi) = from < to ? (from + 1, to) : (to, from - 1);
        for (var k = lo; k <= hi; k++)
        {
            if (_p.JobOf[seq[k]] == job)
            {
                return true;
            }
        }

        return false;
    }
}
