using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Plan timing of a design order (docs/embroidery.md, "Plan timing"): the jobs that sew the design take its run
/// time, not the routing's unit time. A job sews it when its capability starts with <c>embroidery</c> or a machine
/// that may run it has an embroidery set-up. The planner times such a job on each machine through
/// <see cref="EmbroideryJobTimes"/>; the job's own unit time, set here when the order is placed, is the slowest
/// candidate's repeat piece: what the job command carries and what a held job's remaining work is reckoned by.
/// </summary>
internal static class DesignTiming
{
    public const string Capability = "embroidery";

    /// <summary>Whether the job sews the design: an embroidery capability, or a candidate machine with a set-up.</summary>
    public static bool Sews(JobRow job, IEnumerable<long> candidates, IReadOnlyDictionary<long, MachineSetup> setups) =>
        job.Capability.StartsWith(Capability, StringComparison.OrdinalIgnoreCase) || candidates.Any(setups.ContainsKey);

    public static async Task RetimeAsync(Session s, OrderDto order, DesignRow design, EmbroideryOptions options)
    {
        var jobs = (await ProductionStore.JobsOfAsync(s, [order.Id])).GetValueOrDefault(order.Id) ?? [];
        var machines = await ProductionStore.MachinesAsync(s, new Dictionary<long, string>());
        var setups = (await EmbroideryStore.SetupsAsync(s)).ToDictionary(m => m.MachineId);
        foreach (var job in jobs.Where(j => j.Status == JobStatus.Waiting))
        {
            var candidates = machines.Where(m => m.SiteId == order.SiteId && m.Capabilities.Contains(job.Capability)
                && (job.AllowedMachines?.Contains(m.Id) ?? true)).ToList();
            if (!Sews(job, candidates.Select(m => m.Id), setups))
            {
                continue;
            }

            var onMachines = candidates.Count == 0
                ? [DesignOnMachine.Of(design, MachineSetup.Assumed(0, design, options))]
                : candidates.Select(m => DesignOnMachine.Of(design, setups.GetValueOrDefault(m.Id) ?? MachineSetup.Assumed(m.Id, design, options))).ToList();
            var unitMs = (long)Math.Ceiling(onMachines.Max(m => m.RepeatSeconds / m.Setup.Heads) * 1000);
            await ProductionStore.RetimeJobAsync(s, job.Id, job.SetupMs, Math.Max(1, unitMs));
        }
    }
}
