using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Turns an operation order (a sequence of job numbers: the k-th time job j appears stands for its k-th operation) and a
/// machine choice per operation into start times. Each operation goes after the last one on its machine: it starts
/// once its job is ready and the machine is free plus the setup from the machine's previous family, pushed past any
/// downtime window that would overlap its setup or processing. Every order is feasible, so the search never repairs.
/// </summary>
internal sealed class FlexibleDecoder
{
    private readonly ShopInstance _instance;
    private readonly int[] _first;
    private readonly int[] _jobReady;
    private readonly int[] _jobNext;
    private readonly int[] _machineEnd;
    private readonly int[] _machineFamily;

    public FlexibleDecoder(ShopInstance instance)
    {
        _instance = instance;
        _first = new int[instance.Jobs.Count + 1];
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            _first[j + 1] = _first[j] + instance.Jobs[j].Operations.Count;
        }

        _jobReady = new int[instance.Jobs.Count];
        _jobNext = new int[instance.Jobs.Count];
        _machineEnd = new int[instance.MachineCount];
        _machineFamily = new int[instance.MachineCount];
    }

    public int OperationCount => _first[^1];

    public int FirstOperation(int job) => _first[job];

    /// <summary>Decodes into <paramref name="start"/> (indexed by operation number) and returns the cost under <paramref name="objective"/>.</summary>
    public Cost Decode(int[] order, int[] choice, int[] start, Objective objective)
    {
        var jobs = _instance.Jobs;
        for (var j = 0; j < jobs.Count; j++)
        {
            _jobReady[j] = jobs[j].Release;
            _jobNext[j] = 0;
        }

        Array.Clear(_machineEnd);
        Array.Fill(_machineFamily, SetupTimes.None);
        var setups = _instance.Setups;
        foreach (var j in order)
        {
            var k = _jobNext[j]++;
            var op = _first[j] + k;
            var operation = jobs[j].Operations[k];
            var option = operation.Options[choice[op]];
            var m = option.Machine;
            var setup = setups?.Get(m, _machineFamily[m], operation.SetupFamily) ?? 0;
            var s = Math.Max(_jobReady[j], _machineEnd[m] + setup);
            foreach (var window in _instance.Downtime[m])
            {
                if (window.Overlaps(s - setup, s + option.Duration))
                {
                    s = Math.Max(s, window.End + setup);
                }
            }

            start[op] = s;
            _machineEnd[m] = _jobReady[j] = s + option.Duration;
            _machineFamily[m] = operation.SetupFamily;
        }

        long makespan = 0, tardiness = 0;
        for (var j = 0; j < jobs.Count; j++)
        {
            makespan = Math.Max(makespan, _jobReady[j]);
            if (jobs[j].Due is { } due && _jobReady[j] > due)
            {
                tardiness += (long)jobs[j].Weight * (_jobReady[j] - due);
            }
        }

        return objective == Objective.Makespan ? new Cost(makespan, 0) : new Cost(tardiness, makespan);
    }

    public Schedule ToSchedule(int[] choice, int[] start)
    {
        var jobs = new ScheduledOperation[_instance.Jobs.Count][];
        for (var j = 0; j < jobs.Length; j++)
        {
            var ops = _instance.Jobs[j].Operations;
            jobs[j] = new ScheduledOperation[ops.Count];
            for (var k = 0; k < ops.Count; k++)
            {
                jobs[j][k] = new ScheduledOperation(ops[k].Options[choice[_first[j] + k]].Machine, start[_first[j] + k]);
            }
        }

        return new Schedule(jobs);
    }
}
