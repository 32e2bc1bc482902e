using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// A flexible job-shop solution as a disjunctive graph: per operation its chosen machine option, per machine a doubly
/// linked sequence, and from them a topological order, heads (earliest starts, releases included) and tails (longest
/// path after an operation's end). Operations are numbered job by job. Used by <see cref="FlexibleTabuWorker"/>.
/// </summary>
internal sealed class FlexibleGraph
{
    public FlexibleGraph(FlexibleProblem problem)
    {
        P = problem;
        var n = problem.Count;
        Choice = new int[n];
        Machine = new int[n];
        Duration = new int[n];
        MachinePrev = new int[n];
        MachineNext = new int[n];
        First = new int[problem.Machines];
        Last = new int[problem.Machines];
        Head = new int[n];
        Tail = new int[n];
        Topo = new int[n];
        TopoIndex = new int[n];
        Position = new int[n];
        _indegree = new int[n];
    }

    private readonly int[] _indegree;

    public FlexibleProblem P { get; }

    public int[] Choice { get; }

    public int[] Machine { get; }

    public int[] Duration { get; }

    public int[] MachinePrev { get; }

    public int[] MachineNext { get; }

    public int[] First { get; }

    public int[] Last { get; }

    public int[] Head { get; }

    public int[] Tail { get; }

    public int[] Topo { get; }

    public int[] TopoIndex { get; }

    /// <summary>Each operation's place in its machine's sequence (0 = first), set by <see cref="Evaluate"/>.</summary>
    public int[] Position { get; }

    public int Makespan { get; private set; }

    /// <summary>Loads machine sequences (operation numbers in order per machine) and the option chosen per operation.</summary>
    public void Load(int[] choice, int[][] sequences)
    {
        Array.Copy(choice, Choice, choice.Length);
        for (var op = 0; op < choice.Length; op++)
        {
            Machine[op] = P.OptionMachine[op][choice[op]];
            Duration[op] = P.OptionDuration[op][choice[op]];
        }

        for (var m = 0; m < P.Machines; m++)
        {
            First[m] = Last[m] = -1;
            foreach (var op in sequences[m])
            {
                Append(op, m);
            }
        }
    }

    public void CopyFrom(FlexibleGraph other)
    {
        Array.Copy(other.Choice, Choice, Choice.Length);
        Array.Copy(other.Machine, Machine, Machine.Length);
        Array.Copy(other.Duration, Duration, Duration.Length);
        Array.Copy(other.MachinePrev, MachinePrev, MachinePrev.Length);
        Array.Copy(other.MachineNext, MachineNext, MachineNext.Length);
        Array.Copy(other.First, First, First.Length);
        Array.Copy(other.Last, Last, Last.Length);
        Array.Copy(other.Head, Head, Head.Length);
        Array.Copy(other.Tail, Tail, Tail.Length);
        Array.Copy(other.Topo, Topo, Topo.Length);
        Array.Copy(other.TopoIndex, TopoIndex, TopoIndex.Length);
        Array.Copy(other.Position, Position, Position.Length);
        Makespan = other.Makespan;
    }

    /// <summary>Per machine, its operations in order.</summary>
    public int[][] Sequences()
    {
        var result = new int[P.Machines][];
        for (var m = 0; m < P.Machines; m++)
        {
            var list = new List<int>();
            for (var op = First[m]; op >= 0; op = MachineNext[op])
            {
                list.Add(op);
            }

            result[m] = [.. list];
        }

        return result;
    }

    public void Remove(int op)
    {
        var (m, prev, next) = (Machine[op], MachinePrev[op], MachineNext[op]);
        if (prev >= 0)
        {
            MachineNext[prev] = next;
        }
        else
        {
            First[m] = next;
        }

        if (next >= 0)
        {
            MachinePrev[next] = prev;
        }
        else
        {
            Last[m] = prev;
        }
    }

    /// <summary>Puts a removed operation on the machine of its option <paramref name="option"/>, right after <paramref name="after"/> (-1: first).</summary>
    public void Insert(int op, int option, int after)
    {
        var m = P.OptionMachine[op][option];
        (Choice[op], Machine[op], Duration[op]) = (option, m, P.OptionDuration[op][option]);
        var next = after >= 0 ? MachineNext[after] : First[m];
        (MachinePrev[op], MachineNext[op]) = (after, next);
        if (after >= 0)
        {
            MachineNext[after] = op;
        }
        else
        {
            First[m] = op;
        }

        if (next >= 0)
        {
            MachinePrev[next] = op;
        }
        else
        {
            Last[m] = op;
        }
    }

    /// <summary>Topological order, heads, tails and makespan; false when the machine sequences make a cycle.</summary>
    public bool Evaluate()
    {
        var n = P.Count;
        var count = 0;
        for (var op = 0; op < n; op++)
        {
            _indegree[op] = (P.JobPrev[op] >= 0 ? 1 : 0) + (MachinePrev[op] >= 0 ? 1 : 0);
            if (_indegree[op] == 0)
            {
                Topo[count++] = op;
            }
        }

        for (var i = 0; i < count; i++)
        {
            var op = Topo[i];
            TopoIndex[op] = i;
            var head = P.Release[op];
            if (P.JobPrev[op] is var jp and >= 0)
            {
                head = Math.Max(head, Head[jp] + Duration[jp]);
            }

            if (MachinePrev[op] is var mp and >= 0)
            {
                head = Math.Max(head, Head[mp] + Duration[mp]);
            }

            Head[op] = head;
            if (P.JobNext[op] is var js and >= 0 && --_indegree[js] == 0)
            {
                Topo[count++] = js;
            }

            if (MachineNext[op] is var ms and >= 0 && --_indegree[ms] == 0)
            {
                Topo[count++] = ms;
            }
        }

        if (count < n)
        {
            return false;
        }

        var makespan = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            var op = Topo[i];
            var tail = 0;
            if (P.JobNext[op] is var js and >= 0)
            {
                tail = Tail[js] + Duration[js];
            }

            if (MachineNext[op] is var ms and >= 0)
            {
                tail = Math.Max(tail, Tail[ms] + Duration[ms]);
            }

            Tail[op] = tail;
            makespan = Math.Max(makespan, Head[op] + Duration[op] + tail);
        }

        Makespan = makespan;
        for (var m = 0; m < P.Machines; m++)
        {
            var at = 0;
            for (var op = First[m]; op >= 0; op = MachineNext[op])
            {
                Position[op] = at++;
            }
        }

        return true;
    }

    public Schedule ToSchedule()
    {
        var jobs = new ScheduledOperation[P.Instance.Jobs.Count][];
        for (var j = 0; j < jobs.Length; j++)
        {
            var first = P.FirstOfJob[j];
            jobs[j] = new ScheduledOperation[P.Instance.Jobs[j].Operations.Count];
            for (var k = 0; k < jobs[j].Length; k++)
            {
                jobs[j][k] = new ScheduledOperation(Machine[first + k], Head[first + k]);
            }
        }

        return new Schedule(jobs);
    }

    private void Append(int op, int m)
    {
        (MachinePrev[op], MachineNext[op]) = (Last[m], -1);
        if (Last[m] >= 0)
        {
            MachineNext[Last[m]] = op;
        }
        else
        {
            First[m] = op;
        }

        Last[m] = op;
    }
}
