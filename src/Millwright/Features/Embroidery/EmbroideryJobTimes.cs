using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Times the jobs that sew a design on each machine that may run them (the planner's <see cref="IJobTimes"/>): the
/// first run (with the operator threading the needles the machine lacks) and each further run at that machine's
/// speed, stop times and needles, as many pieces a run as it has heads. So the plan's duration is that of the
/// machine the scheduler picks, not of the slowest candidate.
/// </summary>
internal sealed class EmbroideryJobTimes(EmbroideryOptions options) : IJobTimes
{
    public async Task<IReadOnlyDictionary<(long JobId, long MachineId), JobTime>> LoadAsync(Session s, IReadOnlyList<PlanOrder> orders, IReadOnlyList<PlanMachine> machines)
    {
        var result = new Dictionary<(long JobId, long MachineId), JobTime>();
        if (orders.Count == 0)
        {
            return result;
        }

        var links = await EmbroideryStore.OpenDesignOrdersAsync(s);
        if (links.Count == 0)
        {
            return result;
        }

        var setups = (await EmbroideryStore.SetupsAsync(s)).ToDictionary(m => m.MachineId);
        var designs = new Dictionary<long, DesignRow?>();
        foreach (var (order, jobs) in orders)
        {
            if (!links.TryGetValue(order.Id, out var designId))
            {
                continue;
            }

            if (!designs.TryGetValue(designId, out var design))
            {
                designs[designId] = design = await EmbroideryStore.DesignAsync(s, designId);
            }

            if (design is null)
            {
                continue;
            }

            foreach (var job in jobs.Where(j => j.Status != JobStatus.Done && j.Status != JobStatus.Cancelled))
            {
                var candidates = machines.Where(m => m.SiteId == order.SiteId && m.Capabilities.Contains(job.Capability)).ToList();
                if (!DesignTiming.Sews(job, candidates.Select(m => m.Id), setups))
                {
                    continue;
                }

                foreach (var machine in candidates)
                {
                    var on = DesignOnMachine.Of(design, setups.GetValueOrDefault(machine.Id) ?? MachineSetup.Assumed(machine.Id, design, options));
                    result[(job.Id, machine.Id)] = new JobTime(Ms(on.FirstSeconds), Ms(on.RepeatSeconds), on.Setup.Heads);
                }
            }
        }

        return result;
    }

    private static long Ms(double seconds) => Math.Max(1, (long)Math.Ceiling(seconds * 1000));
}
