using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.JobShop;

/// <summary>
/// A classic job shop flattened into arrays for the tabu search: operations are numbered job by job, each with its
/// machine, duration and job neighbours; per machine, the operations it must run (in no particular order).
/// </summary>
internal sealed class JobShopProblem
{
    public JobShopProblem(ShopInstance instance)
    {
        if (!instance.IsClassic)
        {
            throw new ArgumentException("the tabu search handles classic job shops only", nameof(instance));
        }

        Instance = instance;
        Jobs = instance.Jobs.Count;
        Machines = instance.MachineCount;
        Count = instance.OperationCount;
        Machine = new int[Count];
        Duration = new int[Count];
        JobPred = new int[Count];
        JobSucc = new int[Count];
        JobOf = new int[Count];
        JobFirst = new int[Jobs + 1];
        var perMachine = new List<int>[Machines];
        for (var m = 0; m < Machines; m++)
        {
            perMachine[m] = [];
        }

        var op = 0;
        long longestJob = 0;
        for (var j = 0; j < Jobs; j++)
        {
            JobFirst[j] = op;
            long length = 0;
            var ops = instance.Jobs[j].Operations;
            for (var k = 0; k < ops.Count; k++, op++)
            {
                Machine[op] = ops[k].Options[0].Machine;
                Duration[op] = ops[k].Options[0].Duration;
                JobOf[op] = j;
                JobPred[op] = k == 0 ? -1 : op - 1;
                JobSucc[op] = k == ops.Count - 1 ? -1 : op + 1;
                perMachine[Machine[op]].Add(op);
                length += Duration[op];
            }

            longestJob = Math.Max(longestJob, length);
        }

        JobFirst[Jobs] = op;
        MachineOps = perMachine.Select(l => l.ToArray()).ToArray();
        LocalIndex = new int[Count];
        long heaviestMachine = 0;
        foreach (var ops in MachineOps)
        {
            for (var i = 0; i < ops.Length; i++)
            {
                LocalIndex[ops[i]] = i;
            }

            MaxPerMachine = Math.Max(MaxPerMachine, ops.Length);
            heaviestMachine = Math.Max(heaviestMachine, ops.Sum(o => (long)Duration[o]));
        }

        LowerBound = (int)Math.Max(longestJob, heaviestMachine);
        RevisitsMachines = MachineOps.Any(ops => ops.Select(o => JobOf[o]).Distinct().Count() < ops.Length);
    }

    /// <summary>Some job runs twice on one machine; then a move could put its two operations out of order.</summary>
    public bool RevisitsMachines { get; }

    public ShopInstance Instance { get; }

    public int Jobs { get; }

    public int Machines { get; }

    public int Count { get; }

    public int[] Machine { get; }

    public int[] Duration { get; }

    public int[] JobPred { get; }

    public int[] JobSucc { get; }

    public int[] JobOf { get; }

    public int[] JobFirst { get; }

    public int[][] MachineOps { get; }

    /// <summary>Index of an operation among its machine's operations; with <see cref="MaxPerMachine"/> it sizes the tabu table.</summary>
    public int[] LocalIndex { get; }

    public int MaxPerMachine { get; }

    /// <summary>Longest job or most loaded machine: no schedule is shorter, so reaching it proves optimality.</summary>
    public int LowerBound { get; }
}
