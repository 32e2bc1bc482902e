using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// The flexible job shop without setups or downtime, flattened for <see cref="FlexibleTabuWorker"/>: operations
/// numbered job by job, their job neighbours, release (on a job's first operation) and machine options.
/// </summary>
internal sealed class FlexibleProblem
{
    public FlexibleProblem(ShopInstance instance)
    {
        Instance = instance;
        Machines = instance.MachineCount;
        Count = instance.OperationCount;
        FirstOfJob = new int[instance.Jobs.Count];
        JobPrev = new int[Count];
        JobNext = new int[Count];
        Release = new int[Count];
        OptionMachine = new int[Count][];
        OptionDuration = new int[Count][];
        long totalShortest = 0, longestJob = 0;
        var op = 0;
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            FirstOfJob[j] = op;
            var job = instance.Jobs[j];
            long jobLength = job.Release;
            for (var k = 0; k < job.Operations.Count; k++, op++)
            {
                var options = job.Operations[k].Options;
                OptionMachine[op] = [.. options.Select(o => o.Machine)];
                OptionDuration[op] = [.. options.Select(o => o.Duration)];
                JobPrev[op] = k == 0 ? -1 : op - 1;
                JobNext[op] = k == job.Operations.Count - 1 ? -1 : op + 1;
                Release[op] = k == 0 ? job.Release : 0;
                var shortest = OptionDuration[op].Min();
                totalShortest += shortest;
                jobLength += shortest;
            }

            longestJob = Math.Max(longestJob, jobLength);
        }

        // No schedule beats the longest job (release plus its shortest options) or the shortest total work spread
        // evenly over all machines.
        LowerBound = Math.Max(longestJob, (totalShortest + Machines - 1) / Machines);
    }

    public ShopInstance Instance { get; }

    public int Machines { get; }

    public int Count { get; }

    public int[] FirstOfJob { get; }

    public int[] JobPrev { get; }

    public int[] JobNext { get; }

    public int[] Release { get; }

    public int[][] OptionMachine { get; }

    public int[][] OptionDuration { get; }

    public long LowerBound { get; }

    /// <summary>True for the instances this search handles: no setups, no downtime (releases are fine).</summary>
    public static bool Fits(ShopInstance instance) => instance.Setups is null && instance.Downtime.All(d => d.Count == 0);
}
