using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Where the flexible search begins: an operation order and a machine choice per operation. A hinted schedule (the
/// plan being followed) is taken as it is where it still fits. Without one, makespan starts from jobs spread by
/// release on their fastest machines; weighted tardiness starts from the earliest-due-date dispatching rule, each
/// operation on the machine that would finish it first, so the search is never worse than that rule.
/// </summary>
internal static class StartingPoint
{
    public static (int[] Order, int[][] Choice) Create(ShopInstance instance, Objective objective, Random random,
        IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? hints)
    {
        if (hints is not null && hints.All(ops => ops is null || ops.All(o => o is null)))
        {
            hints = null;
        }

        var byDueDate = objective == Objective.TotalWeightedTardiness && hints is null;
        var order = byDueDate ? DueDateOrder(instance, random) : SpreadOrder(instance, random, hints);
        var choice = instance.Jobs.Select(j => new int[j.Operations.Count]).ToArray();
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            for (var k = 0; k < instance.Jobs[j].Operations.Count; k++)
            {
                choice[j][k] = Fastest(instance.Jobs[j].Operations[k], Hint(hints, j, k));
            }
        }

        if (objective == Objective.TotalWeightedTardiness)
        {
            FinishFirst(instance, order, choice, hints);
        }

        return (order, choice);
    }

    /// <summary>The hinted machine when the operation may still run there, else the fastest.</summary>
    private static int Fastest(ShopOperation op, ScheduledOperation? hint)
    {
        var chosen = 0;
        for (var o = 0; o < op.Options.Count; o++)
        {
            if (op.Options[o].Machine == hint?.Machine)
            {
                return o;
            }

            if (op.Options[o].Duration < op.Options[chosen].Duration)
            {
                chosen = o;
            }
        }

        return chosen;
    }

    /// <summary>
    /// Gives each operation without a usable hint the machine that would finish it first, walking the order with
    /// each machine's end so far (after any downtime from time zero), the setup it would need and each job's ready time.
    /// </summary>
    private static void FinishFirst(ShopInstance instance, int[] order, int[][] choice, IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? hints)
    {
        var free = instance.Downtime.Select(w => w.Where(x => x.Start == 0).Select(x => (long)x.End).DefaultIfEmpty(0).Max()).ToArray();
        var ready = instance.Jobs.Select(j => (long)j.Release).ToArray();
        var loaded = Enumerable.Repeat(SetupTimes.None, instance.MachineCount).ToArray();
        var next = new int[instance.Jobs.Count];
        foreach (var j in order)
        {
            var k = next[j]++;
            var family = instance.Jobs[j].Operations[k].SetupFamily;
            var options = instance.Jobs[j].Operations[k].Options;
            if (!(Hint(hints, j, k) is { } hint && options[choice[j][k]].Machine == hint.Machine))
            {
                for (var o = 0; o < options.Count; o++)
                {
                    if (Finish(options[o]) < Finish(options[choice[j][k]]))
                    {
                        choice[j][k] = o;
                    }
                }
            }

            var chosen = options[choice[j][k]];
            ready[j] = free[chosen.Machine] = Finish(chosen);
            loaded[chosen.Machine] = family;

            long Finish(MachineOption option) =>
                Math.Max(free[option.Machine] + (instance.Setups?.Get(option.Machine, loaded[option.Machine], family) ?? 0), ready[j]) + option.Duration;
        }
    }

    private static ScheduledOperation? Hint(IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? hints, int job, int index) =>
        hints is not null && job < hints.Count && hints[job] is { } ops && index < ops.Count ? ops[index] : null;

    /// <summary>Jobs one after another by due date, the heaviest first among equals; a little noise breaks remaining ties per seed.</summary>
    private static int[] DueDateOrder(ShopInstance instance, Random random) =>
        [.. Enumerable.Range(0, instance.Jobs.Count)
            .Select(j => (Job: j, Due: instance.Jobs[j].Due ?? long.MaxValue, instance.Jobs[j].Weight, Noise: random.NextDouble()))
            .OrderBy(t => t.Due).ThenByDescending(t => t.Weight).ThenBy(t => t.Noise)
            .SelectMany(t => Enumerable.Repeat(t.Job, instance.Jobs[t.Job].Operations.Count))];

    /// <summary>
    /// Jobs by release, each job's operations spread over it, with a little noise so each seed starts elsewhere;
    /// an operation with a hinted start goes where that start puts it.
    /// </summary>
    private static int[] SpreadOrder(ShopInstance instance, Random random, IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? hints)
    {
        var tokens = new List<(double Key, int Job)>();
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            var job = instance.Jobs[j];
            double at = job.Release, previous = double.MinValue;
            for (var k = 0; k < job.Operations.Count; k++)
            {
                var shortest = job.Operations[k].Options.Min(o => o.Duration);
                var noisy = at + (random.NextDouble() * 0.5 * shortest);

                // Never before the job's previous operation, so that a hinted one keeps its place in the job, and
                // the operations after a hinted one are spread from its start.
                var hinted = Hint(hints, j, k)?.Start;
                var key = Math.Max(hinted ?? noisy, previous);
                tokens.Add((key, j));
                previous = key;
                at = (hinted is null ? at : Math.Max(at, key)) + shortest;
            }
        }

        // With a hinted schedule, work without hints (new orders) goes after it: the hinted schedule stays as it was
        // planned, and the search brings the new work forward where that pays.
        if (hints is not null)
        {
            var hintedEnd = 0.0;
            var hinted = new bool[tokens.Count];
            for (int j = 0, t = 0; j < instance.Jobs.Count; j++)
            {
                for (var k = 0; k < instance.Jobs[j].Operations.Count; k++, t++)
                {
                    hinted[t] = Hint(hints, j, k) is not null;
                    hintedEnd = hinted[t] ? Math.Max(hintedEnd, tokens[t].Key) : hintedEnd;
                }
            }

            for (var t = 0; t < tokens.Count; t++)
            {
                tokens[t] = hinted[t] ? tokens[t] : (tokens[t].Key + hintedEnd + 1, tokens[t].Job);
            }
        }

        return [.. tokens.OrderBy(t => t.Key).ThenBy(t => t.Job).Select(t => t.Job)];
    }
}
