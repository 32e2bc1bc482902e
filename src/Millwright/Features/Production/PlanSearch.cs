using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Features.Production;

/// <summary>
/// One re-plan's search, shared by the planner and the churn bench: the scheduler starts from the plan being followed
/// and, with a change penalty, counts what departing from it costs in the objective. The followed plan as it stands
/// now is evaluated too and kept unless the new one is better: with the penalty, better in tardiness plus penalty;
/// without one, better by over 1 % (the rule before plans had a penalty). Pure: no store, no clock.
/// </summary>
internal static class PlanSearch
{
    /// <param name="iterations">A fixed number of search steps instead of the plan time, for runs that must repeat exactly.</param>
    public static SolveResult? Solve(PlanBuilder builder, ProductionOptions options, CancellationToken cancellationToken, long? iterations = null)
    {
        if (builder.Instance is not { } instance)
        {
            return null;
        }

        var penalty = Penalty(options);
        var followedExists = builder.StartFrom.Any(ops => ops.Any(o => o is not null));
        var solver = new SolverOptions
        {
            TimeLimit = iterations is null ? options.PlanTime : null, IterationLimit = iterations, Workers = options.PlanWorkers,
            Objective = Objective.TotalWeightedTardiness, Seed = 1, StartFrom = builder.StartFrom, Changes = penalty.IsActive ? penalty : null,
        };
        var result = SchedulingSolver.Solve(instance, solver, cancellationToken);
        if (!followedExists)
        {
            return result;
        }

        // The plan being followed, as it stands now (no search step taken from it).
        var followed = SchedulingSolver.Solve(instance, solver with { TimeLimit = null, IterationLimit = 0, Workers = 1 }, cancellationToken);
        var better = penalty.IsActive ? result.Best.Objective < followed.Best.Objective : WorthMoving(result.Best, followed.Best);
        return better ? result : followed;
    }

    /// <summary>The options' change penalty in the scheduler's unit (seconds, weighted by the order's priority).</summary>
    public static ChangePenalty Penalty(ProductionOptions options) => new(
        (int)Math.Min(options.MoveCost.TotalSeconds, ShopInstance.MaxTime),
        options.ShiftCostPerMinute.TotalSeconds / 60,
        (int)Math.Min(options.ShiftTolerance.TotalSeconds, ShopInstance.MaxTime));

    /// <summary>Without a penalty, a new plan replaces the followed one when it cuts weighted tardiness, or the makespan at no more tardiness, by over 1 %.</summary>
    private static bool WorthMoving(SolverSnapshot candidate, SolverSnapshot followed) =>
        candidate.WeightedTardiness < followed.WeightedTardiness * 0.99
        || (candidate.WeightedTardiness <= followed.WeightedTardiness && candidate.Makespan < followed.Makespan * 0.99);
}
