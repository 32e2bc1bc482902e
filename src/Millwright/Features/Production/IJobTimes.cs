using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// Where the planner learns how long a job takes on a particular machine when that depends on the machine (a higher
/// feature knows it: embroidery times a design at each machine's speed, needles and heads). Jobs and machines it
/// does not answer for take the job's own unit time everywhere.
/// </summary>
internal interface IJobTimes
{
    /// <summary>For the session's tenant's open <paramref name="orders"/>: each (job, machine) pair it times.</summary>
    Task<IReadOnlyDictionary<(long JobId, long MachineId), JobTime>> LoadAsync(Session s, IReadOnlyList<PlanOrder> orders, IReadOnlyList<PlanMachine> machines);
}
