namespace Millwright.Features.Production;

/// <summary>One waiting job a re-plan moved: to another machine, or its start by more than the shift tolerance.</summary>
/// <param name="ShiftMs">New start minus old start: positive is later.</param>
internal sealed record PlanMove(long JobId, string OrderNumber, string Operation, long FromMachineId, long ToMachineId, long FromStart, long ToStart, long ShiftMs, string Why);

/// <summary>
/// What a re-plan changed, job by job, and why as far as the planner can tell: the old machine went down or offline,
/// refused the job or did not answer; or, with the old machine still usable, the scheduler found a better plan (a
/// machine change) or the work around the job moved (a shift). Only jobs that had a place in the followed plan count.
/// </summary>
internal static class PlanChanges
{
    public static List<PlanMove> Compare(IEnumerable<JobRow> before, ProductionPlan plan, IReadOnlyList<PlanMachine> machines, TimeSpan tolerance)
    {
        var planned = plan.Jobs.ToDictionary(j => j.JobId);
        var moves = new List<PlanMove>();
        foreach (var job in before)
        {
            if (job is not { Status: JobStatus.Waiting, MachineId: { } from, PlannedStart: { } start } || !planned.TryGetValue(job.Id, out var now))
            {
                continue;
            }

            var shift = now.Start - start;
            if (now.MachineId == from && Math.Abs(shift) <= tolerance.TotalMilliseconds)
            {
                continue;
            }

            moves.Add(new PlanMove(job.Id, job.OrderNumber, job.Operation, from, now.MachineId, start, now.Start, shift, Why(job, from, now.MachineId, shift, machines)));
        }

        return moves;
    }

    private static string Why(JobRow job, long from, long to, long shift, IReadOnlyList<PlanMachine> machines)
    {
        var old = machines.FirstOrDefault(m => m.Id == from);
        var name = old?.Name ?? $"machine {from}";
        if (old is null)
        {
            return $"{name} no longer takes work";
        }

        if (!old.Available)
        {
            return $"{name} is down or offline";
        }

        if (job.Refusers.Contains(from))
        {
            return $"{name} refused it";
        }

        if (job.Silent.Contains(from))
        {
            return $"{name} did not answer";
        }

        if (from != to)
        {
            return "the scheduler found a better plan with it elsewhere";
        }

        return shift > 0 ? "work ahead of it on the machine takes longer or grew" : "work ahead of it finished early or moved away";
    }
}
