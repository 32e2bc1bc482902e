using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Plan timing of a design order (docs/embroidery.md, "Plan timing"): the jobs that sew the design take its run
/// time, not the routing's unit time. A job sews it when its capability starts with <c>embroidery</c> or a machine
/// that may run it has an embroidery set-up. The planner gives a job one unit time whatever machine it picks, so
/// the slowest machine that may run it counts (a faster one finishes early and the plan follows, as with any job):
/// the unit time is its time for a repeat piece, and the first piece's extra threading is added to the setup.
/// </summary>
internal static class DesignTiming
{
    public const string Capability = "embroidery";

    public static async Task RetimeAsync(Session s, OrderDto order, DesignRow design, EmbroideryOptions options)
    {
        var jobs = (await ProductionStore.JobsOfAsync(s, [order.Id])).GetValueOrDefault(order.Id) ?? [];
        var machines = await ProductionStore.MachinesAsync(s, new Dictionary<long, string>());
        var setups = (await EmbroideryStore.SetupsAsync(s)).ToDictionary(m => m.MachineId);
        foreach (var job in jobs.Where(j => j.Status == JobStatus.Waiting))
        {
            var candidates = machines.Where(m => m.SiteId == order.SiteId && m.Capabilities.Contains(job.Capability)
                && (job.AllowedMachines?.Contains(m.Id) ?? true)).ToList();
            if (!job.Capability.StartsWith(Capability, StringComparison.OrdinalIgnoreCase) && !candidates.Any(m => setups.ContainsKey(m.Id)))
            {
                continue;
            }

            var onMachines = candidates.Count == 0
                ? [DesignOnMachine.Of(design, MachineSetup.Assumed(0, design, options))]
                : candidates.Select(m => DesignOnMachine.Of(design, setups.GetValueOrDefault(m.Id) ?? MachineSetup.Assumed(m.Id, design, options))).ToList();
            var unitMs = (long)Math.Ceiling(onMachines.Max(m => m.RepeatSeconds) * 1000);
            var threadingMs = (long)Math.Ceiling(onMachines.Max(m => m.FirstSeconds - m.RepeatSeconds) * 1000);
            await ProductionStore.RetimeJobAsync(s, job.Id, job.SetupMs + Math.Max(0, threadingMs), Math.Max(1, unitMs));
        }
    }
}
