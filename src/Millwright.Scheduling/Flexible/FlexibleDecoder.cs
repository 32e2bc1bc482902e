using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Turns an operation order (a sequence of job numbers: the k-th time job j appears stands for its k-th operation) and a
/// machine choice per operation into start times. Operations are placed in that order, each at the earliest time its
/// machine can take it: in the first idle gap where its setup (from the operation before it), its processing and the
/// setup of the operation after it (now from this one) fit, clear of downtime, or else after the machine's last
/// operation. Zero-length operations occupy no machine (see the checker). Every order is feasible, so the search
/// never repairs.
/// </summary>
internal sealed class FlexibleDecoder
{
    private readonly ShopInstance _instance;
    private readonly int[] _first;
    private readonly int[] _jobReady;
    private readonly int[] _jobNext;
    private readonly int[] _count;
    private readonly int[][] _slotStart;
    private readonly int[][] _slotEnd;
    private readonly int[][] _slotFamily;
    private ChangePenalty? _penalty;
    private int[]? _referenceMachine;
    private int[]? _referenceStart;

    public FlexibleDecoder(ShopInstance instance)
    {
        _instance = instance;
        _first = new int[instance.Jobs.Count + 1];
        var capacity = new int[instance.MachineCount];
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            _first[j + 1] = _first[j] + instance.Jobs[j].Operations.Count;
            foreach (var op in instance.Jobs[j].Operations)
            {
                foreach (var option in op.Options)
                {
                    capacity[option.Machine]++;
                }
            }
        }

        _jobReady = new int[instance.Jobs.Count];
        _jobNext = new int[instance.Jobs.Count];
        _count = new int[instance.MachineCount];
        _slotStart = [.. capacity.Select(c => new int[c])];
        _slotEnd = [.. capacity.Select(c => new int[c])];
        _slotFamily = [.. capacity.Select(c => new int[c])];
    }

    public int OperationCount => _first[^1];

    /// <summary>
    /// From now on weighted tardiness includes what departing from <paramref name="reference"/> costs (see
    /// <see cref="ChangePenalty"/>); operations without a reference cost nothing.
    /// </summary>
    public void Penalize(ChangePenalty penalty, IReadOnlyList<IReadOnlyList<ScheduledOperation?>> reference)
    {
        _penalty = penalty;
        _referenceMachine = new int[OperationCount];
        _referenceStart = new int[OperationCount];
        Array.Fill(_referenceMachine, -1);
        for (var j = 0; j < _instance.Jobs.Count && j < reference.Count; j++)
        {
            for (var k = 0; reference[j] is { } ops && k < ops.Count && k < _instance.Jobs[j].Operations.Count; k++)
            {
                if (ops[k] is { } r)
                {
                    (_referenceMachine[_first[j] + k], _referenceStart[_first[j] + k]) = (r.Machine, r.Start);
                }
            }
        }
    }

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

        Array.Clear(_count);
        long penalty = 0;
        foreach (var j in order)
        {
            var k = _jobNext[j]++;
            var op = _first[j] + k;
            var operation = jobs[j].Operations[k];
            var option = operation.Options[choice[op]];
            var s = option.Duration == 0 ? _jobReady[j] : Place(option.Machine, _jobReady[j], option.Duration, operation.SetupFamily);
            start[op] = s;
            _jobReady[j] = s + option.Duration;
            if (_referenceMachine is not null && _referenceMachine[op] >= 0)
            {
                penalty += _penalty!.Of(jobs[j].Weight, option.Machine, s, _referenceMachine[op], _referenceStart![op]);
            }
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

        return objective == Objective.Makespan ? new Cost(makespan, 0) : new Cost(tardiness + penalty, makespan);
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

    /// <summary>Earliest start on machine <paramref name="m"/> at or after <paramref name="ready"/>; records the operation there.</summary>
    private int Place(int m, int ready, int duration, int family)
    {
        var setups = _instance.Setups;
        var count = _count[m];
        var starts = _slotStart[m];
        var ends = _slotEnd[m];
        var families = _slotFamily[m];
        for (var i = 0; i <= count; i++)
        {
            var previousEnd = i > 0 ? ends[i - 1] : 0;
            if (i < count && starts[i] <= ready)
            {
                continue;
            }

            var setup = setups?.Get(m, i > 0 ? families[i - 1] : SetupTimes.None, family) ?? 0;
            var s = ClearOfDowntime(m, Math.Max(ready, previousEnd + setup), setup, duration);
            if (i < count)
            {
                // The next operation's setup is now from this family; it must fit before its start, clear of downtime.
                var after = setups?.Get(m, family, families[i]) ?? 0;
                if (s >= starts[i] || s + duration + after > starts[i] || Overlaps(m, starts[i] - after, starts[i]))
                {
                    continue;
                }

                Array.Copy(starts, i, starts, i + 1, count - i);
                Array.Copy(ends, i, ends, i + 1, count - i);
                Array.Copy(families, i, families, i + 1, count - i);
            }

            (starts[i], ends[i], families[i]) = (s, s + duration, family);
            _count[m] = count + 1;
            return s;
        }

        throw new InvalidOperationException("the slot after the last operation always fits");
    }

    /// <summary>The earliest start at or after <paramref name="s"/> whose setup and processing overlap no downtime.</summary>
    private int ClearOfDowntime(int m, int s, int setup, int duration)
    {
        foreach (var window in _instance.Downtime[m])
        {
            if (window.Overlaps(s - setup, s + duration))
            {
                s = Math.Max(s, window.End + setup);
            }
        }

        return s;
    }

    private bool Overlaps(int m, int from, int to)
    {
        foreach (var window in _instance.Downtime[m])
        {
            if (window.Overlaps(from, to))
            {
                return true;
            }
        }

        return false;
    }
}
