using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Tailoring;

/// <summary>
/// Times the cutting and sewing jobs of made-to-measure orders on each machine that may run them (the planner's
/// <see cref="IJobTimes"/>): the garment's cut length at that cutter's knife speed, its seams at that station's
/// sewing speed plus its handling per piece (<see cref="GarmentRates"/>, from the machine's capabilities). So a
/// faster cutter is planned shorter, and the scheduler weighs the machine it picks, not the default rates.
/// </summary>
internal sealed class TailoringJobTimes(TailoringOptions options) : IJobTimes
{
    public async Task<IReadOnlyDictionary<(long JobId, long MachineId), JobTime>> LoadAsync(Session s, IReadOnlyList<PlanOrder> orders, IReadOnlyList<PlanMachine> machines)
    {
        var result = new Dictionary<(long JobId, long MachineId), JobTime>();
        if (orders.Count == 0)
        {
            return result;
        }

        var garments = await TailoringStore.GarmentLengthsAsync(s, [.. orders.Select(o => o.Order.Id)]);
        foreach (var (order, jobs) in orders)
        {
            if (!garments.TryGetValue(order.Id, out var garment))
            {
                continue;
            }

            foreach (var job in jobs.Where(j => j.Status != JobStatus.Done && j.Status != JobStatus.Cancelled))
            {
                foreach (var machine in machines.Where(m => m.SiteId == order.SiteId && m.Capabilities.Contains(job.Capability)))
                {
                    var rates = GarmentRates.Of(machine.Capabilities, options);
                    if (GarmentTiming.UnitSeconds(job.Capability, garment.CutLengthMm, garment.SeamLengthMm, garment.Pieces, rates) is { } seconds)
                    {
                        var ms = Math.Max(1, (long)Math.Ceiling(seconds * 1000));
                        result[(job.Id, machine.Id)] = new JobTime(ms, ms, 1);
                    }
                }
            }
        }

        return result;
    }
}
