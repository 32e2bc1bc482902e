namespace Millwright.Scheduling.Model;

/// <summary>
/// What departing from a reference schedule (the plan being followed) costs, added to the weighted tardiness so that
/// a re-plan moves work only when the gain pays for the disruption. Each operation with a reference costs its job's
/// weight × <see cref="MachineChange"/> when it goes to another machine, plus its job's weight × <see cref="ShiftRate"/>
/// per time unit its start moves (either way) beyond <see cref="Tolerance"/>. Priced in the objective's own unit,
/// so "moving a job costs as much as its order being <see cref="MachineChange"/> late".
/// </summary>
public sealed record ChangePenalty(int MachineChange, double ShiftRate, int Tolerance)
{
    /// <summary>Whether it costs anything at all.</summary>
    public bool IsActive => MachineChange > 0 || ShiftRate > 0;

    /// <summary>The cost of one operation of a job of <paramref name="weight"/> placed at (<paramref name="machine"/>, <paramref name="start"/>) against its reference.</summary>
    public long Of(int weight, int machine, int start, int referenceMachine, int referenceStart)
    {
        long cost = machine != referenceMachine ? (long)weight * MachineChange : 0;
        var shift = Math.Abs((long)start - referenceStart) - Tolerance;
        if (shift > 0 && ShiftRate > 0)
        {
            cost += (long)Math.Round(weight * ShiftRate * shift);
        }

        return cost;
    }

    /// <summary>The total cost of <paramref name="schedule"/> against <paramref name="reference"/> (operations without one cost nothing).</summary>
    public long Of(ShopInstance instance, Schedule schedule, IReadOnlyList<IReadOnlyList<ScheduledOperation?>> reference)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(reference);
        long total = 0;
        for (var j = 0; j < instance.Jobs.Count && j < reference.Count; j++)
        {
            var ops = reference[j];
            for (var k = 0; ops is not null && k < ops.Count && k < schedule.Jobs[j].Count; k++)
            {
                if (ops[k] is { } r)
                {
                    var op = schedule.Jobs[j][k];
                    total += Of(instance.Jobs[j].Weight, op.Machine, op.Start, r.Machine, r.Start);
                }
            }
        }

        return total;
    }
}
