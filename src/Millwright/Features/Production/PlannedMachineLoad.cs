using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Maintenance;

namespace Millwright.Features.Production;

/// <summary>Tells maintenance planning where the current plan has work on a machine (planned, or running now), so a stop avoids it.</summary>
internal sealed class PlannedMachineLoad : IMachineLoad
{
    public async Task<IReadOnlyList<Interval>> PlannedWorkAsync(Session s, long machineId, long from, long to)
    {
        var jobs = await ProductionStore.JobsInAsync(s, from, to, null);
        return [.. jobs.Where(j => j.MachineId == machineId && j.EndedAt is null)
            .Select(j => new Interval(j.StartedAt ?? j.PlannedStart ?? from, Math.Max(j.PlannedEnd ?? s.Now, s.Now)))
            .Where(i => i.End > i.Start)];
    }
}
