namespace Millwright.Features.Production;

/// <summary>
/// The frozen horizon: per order, the waiting jobs at the head of its chain that the plan being followed starts within
/// the horizon, on a machine that is still available and still allowed to run them. They keep their machine and their
/// order on it; a start moves only as far as the work before it forces (a job still running, the job's previous
/// operation). A job whose machine broke down is not frozen, and neither is anything after it in its order.
/// </summary>
internal static class FrozenJobs
{
    public static List<JobRow> Select(IReadOnlyList<JobRow> open, long frozenUntil, long siteId, IReadOnlyList<PlanMachine> machines)
    {
        var frozen = new List<JobRow>();
        foreach (var job in open)
        {
            if (job is not { Status: JobStatus.Waiting, MachineId: { } machineId, PlannedStart: { } start } || start >= frozenUntil
                || machines.FirstOrDefault(m => m.Id == machineId) is not { Available: true } machine
                || machine.SiteId != siteId || !machine.Capabilities.Contains(job.Capability)
                || !(job.AllowedMachines?.Contains(machineId) ?? true) || job.Refusers.Contains(machineId) || job.Silent.Contains(machineId))
            {
                break;
            }

            frozen.Add(job);
        }

        return frozen;
    }
}
