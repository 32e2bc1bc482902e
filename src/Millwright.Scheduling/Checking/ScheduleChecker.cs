using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Checking;

/// <summary>
/// Verifies a schedule against its instance from the start times alone, sharing no code or state with the solvers:
/// every operation placed once on an allowed machine, job order, release dates, no overlap on a machine (setups
/// included: the setup for the next operation must fit between the previous one's end and its start), no work or
/// setup inside downtime (zero-length operations occupy no machine), and makespan and weighted tardiness recomputed.
/// </summary>
public static class ScheduleChecker
{
    private const int MaxReported = 50;

    public static CheckResult Check(ShopInstance instance, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(schedule);
        var violations = new List<string>();
        if (schedule.Jobs.Count != instance.Jobs.Count)
        {
            violations.Add($"the schedule has {schedule.Jobs.Count} jobs, the instance {instance.Jobs.Count}");
            return new CheckResult(violations, 0, 0);
        }

        var perMachine = new List<(long Start, long End, int Job, int Index, int Family)>[instance.MachineCount];
        for (var m = 0; m < perMachine.Length; m++)
        {
            perMachine[m] = [];
        }

        long makespan = 0, tardiness = 0;
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            var job = instance.Jobs[j];
            var placed = schedule.Jobs[j];
            if (placed is null || placed.Count != job.Operations.Count)
            {
                violations.Add($"job {j} has {placed?.Count ?? 0} scheduled operations, the instance {job.Operations.Count}");
                continue;
            }

            long previousEnd = job.Release;
            for (var k = 0; k < placed.Count; k++)
            {
                var (machine, start) = placed[k];
                var duration = machine >= 0 && machine < instance.MachineCount ? Schedule.DurationOn(instance, j, k, machine) : -1;
                if (duration < 0)
                {
                    violations.Add($"job {j} operation {k} is on machine {machine}, which may not run it");
                    continue;
                }

                if (start < previousEnd)
                {
                    violations.Add(k == 0
                        ? $"job {j} operation 0 starts at {start}, before the job's release {job.Release}"
                        : $"job {j} operation {k} starts at {start}, before operation {k - 1} ends at {previousEnd}");
                }

                long end = (long)start + duration;
                previousEnd = end;
                makespan = Math.Max(makespan, end);
                if (duration > 0)
                {
                    // A zero-length operation is a milestone: it passes time along its job but does not occupy its
                    // machine (no setup, no downtime), which also keeps the machine order of operations unambiguous.
                    perMachine[machine].Add((start, end, j, k, job.Operations[k].SetupFamily));
                }
            }

            if (job.Due is { } due && previousEnd > due)
            {
                tardiness += job.Weight * (previousEnd - due);
            }
        }

        for (var m = 0; m < perMachine.Length; m++)
        {
            CheckMachine(instance, m, perMachine[m], violations);
        }

        if (violations.Count > MaxReported)
        {
            var more = violations.Count - MaxReported;
            violations.RemoveRange(MaxReported, more);
            violations.Add($"... and {more} more");
        }

        return new CheckResult(violations, makespan, tardiness);
    }

    private static void CheckMachine(ShopInstance instance, int machine, List<(long Start, long End, int Job, int Index, int Family)> ops, List<string> violations)
    {
        ops.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var setup = instance.Setups?.Get(machine, i == 0 ? SetupTimes.None : ops[i - 1].Family, op.Family) ?? 0;
            var busyFrom = op.Start - setup;
            var free = i == 0 ? 0 : ops[i - 1].End;
            if (busyFrom < free)
            {
                violations.Add(i == 0
                    ? $"machine {machine}: job {op.Job} operation {op.Index} needs setup {setup} before {op.Start}, which would start before time 0"
                    : $"machine {machine}: job {op.Job} operation {op.Index} (setup {setup}, start {op.Start}) overlaps job {ops[i - 1].Job} operation {ops[i - 1].Index} ending at {free}");
            }

            foreach (var window in instance.Downtime[machine])
            {
                if (window.Overlaps(busyFrom, op.End))
                {
                    violations.Add($"machine {machine}: job {op.Job} operation {op.Index} (busy {busyFrom}..{op.End} with setup) overlaps downtime {window.Start}..{window.End}");
                }
            }
        }
    }
}
