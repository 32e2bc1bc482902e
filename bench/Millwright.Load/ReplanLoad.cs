using System.Globalization;
using Millwright.Features.Production;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench replan</c>: the planner's re-planning on a simulated shop day, once without plan stability (no
/// frozen horizon, no change penalty: the new plan wins when it is 1 % better) and once with the production defaults.
/// Both runs see the same orders, paces, breakdowns and repairs. Measures jobs moved per re-plan (to another machine, or
/// a start shifted beyond the tolerance) and the weighted tardiness the day ends with. The search runs a fixed number of
/// steps per plan, so the figures repeat exactly whatever else the machine is doing.
/// </summary>
internal static class ReplanLoad
{
    public sealed record Settings(int Machines, int Orders, int Hours, int Iterations, int Seed);

    public sealed record Outcome(int Replans, int Moved, int MachineChanges, int MaxMoved, int Frozen, double TardinessHours, int Completed, TimeSpan PlanTime);

    public static string Run(Settings settings, Action<string> progress, CancellationToken ct)
    {
        var stable = new ProductionOptions();
        var churning = stable with { FrozenHorizon = TimeSpan.Zero, MoveCost = TimeSpan.Zero, ShiftCostPerMinute = TimeSpan.Zero };
        var without = Simulate(settings, churning, "without stability", progress, ct);
        var with = Simulate(settings, stable, "with stability", progress, ct);
        return string.Create(CultureInfo.InvariantCulture,
            $"replan: {settings.Machines} machines, {settings.Orders} orders at the start and more over {settings.Hours} h, {settings.Iterations} search steps per plan, seed {settings.Seed}; "
            + $"without stability: {Describe(without)}; with stability (frozen {stable.FrozenHorizon.TotalMinutes:0} min, move cost {stable.MoveCost.TotalMinutes:0} min, "
            + $"shift tolerance {stable.ShiftTolerance.TotalMinutes:0} min, {stable.ShiftCostPerMinute.TotalSeconds:0} s per minute beyond): {Describe(with)}");
    }

    private static string Describe(Outcome o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Replans} re-plans, {(double)o.Moved / Math.Max(1, o.Replans):F1} jobs moved per re-plan ({o.MachineChanges} machine changes in all, at most {o.MaxMoved} in one), "
        + $"{(double)o.Frozen / Math.Max(1, o.Replans):F1} frozen per re-plan, {o.Completed} orders completed, weighted tardiness {o.TardinessHours:N0} priority-hours, "
        + $"{o.PlanTime.TotalMilliseconds / Math.Max(1, o.Replans):F0} ms per plan");

    private static Outcome Simulate(Settings settings, ProductionOptions options, string label, Action<string> progress, CancellationToken ct)
    {
        var shop = new ReplanShop(settings.Machines, settings.Seed);
        var start = 1_800_000_000_000L;
        for (var o = 0; o < settings.Orders; o++)
        {
            shop.AddOrder(start);
        }

        var sim = new ReplanSimulation(shop, options, settings.Iterations);
        var end = start + (settings.Hours * 60 * ReplanShop.Minute);
        for (var now = start; now < end; now += ReplanShop.Minute)
        {
            ct.ThrowIfCancellationRequested();
            sim.Step(now, ct);
            if ((now - start) % (60 * ReplanShop.Minute) == 0 && now > start)
            {
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"  {label}: hour {(now - start) / (60 * ReplanShop.Minute)} of {settings.Hours}, {sim.Replans} re-plans, {sim.Moved} jobs moved so far"));
            }
        }

        return new Outcome(sim.Replans, sim.Moved, sim.MachineChanges, sim.MaxMoved, sim.Frozen, sim.WeightedTardiness(end) / 3600.0, sim.Completed, sim.PlanTime);
    }
}
