using Google.OrTools.Sat;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// The whole flexible instance given to CP-SAT for a short time before the tabu search starts: its proven lower bound
/// (kept when stronger than <see cref="FlexibleProblem.LowerBound"/>), its best schedule, and on small instances a
/// proof that this schedule is optimal, after which no search is needed.
/// </summary>
internal static class FlexibleCpSat
{
    /// <summary>What CP-SAT proved within the budget. Solution is null when it found none.</summary>
    public sealed record Outcome(long Bound, bool Optimal, int Makespan, int[]? Choice, int[][]? Sequences);

    public static Outcome Solve(FlexibleProblem problem, TimeSpan budget, int workers, int seed, CancellationToken cancellation)
    {
        // A greedy schedule's makespan bounds every end: the optimum is no later, so the bound stays valid.
        var start = new FlexibleGraph(problem);
        var (choice, sequences) = FlexibleConstruction.Build(problem, new Random(seed));
        start.Load(choice, sequences);
        start.Evaluate();

        var model = new FlexibleCpModel(problem, start.Makespan);
        model.Hint(choice, start.Head);
        var solver = FlexibleCpModel.Solver(workers, budget, seed);
        using var stop = cancellation.Register(solver.StopSearch);
        var status = solver.Solve(model.Model);
        var bound = Math.Max(problem.LowerBound, (long)Math.Ceiling(solver.BestObjectiveBound - 1e-6));
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new Outcome(bound, false, start.Makespan, choice, sequences);
        }

        // The search's own evaluation decides the makespan, so that what is reported is what the graph gives.
        var (found, order) = model.Read(solver);
        var graph = new FlexibleGraph(problem);
        graph.Load(found, order);
        if (!graph.Evaluate() || graph.Makespan > start.Makespan)
        {
            return new Outcome(bound, false, start.Makespan, choice, sequences);
        }

        return new Outcome(bound, status == CpSolverStatus.Optimal || graph.Makespan <= bound, graph.Makespan, found, order);
    }
}
