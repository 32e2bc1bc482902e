using Google.OrTools.Sat;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// The whole flexible instance given to CP-SAT for a short time before the tabu search starts: its proven lower bound
/// (kept when stronger than <see cref="FlexibleProblem.LowerBound"/>), its best schedule, and on small instances a
/// proof that this schedule is optimal, after which no search is needed. Half the budget goes to minimizing the
/// makespan; the other half to probes "can every operation end by T?" between the bound and the best makespan
/// (bisection), each proven impossible T raising the bound to T + 1 and each schedule found lowering the best.
/// A probe that runs out of time proves nothing, and the next one tries a smaller T.
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

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var best = (Makespan: start.Makespan, Choice: choice, Sequences: sequences);
        var graph = new FlexibleGraph(problem);

        // Keeps a solver's schedule when the search's own evaluation (what is reported) finds it better.
        void Keep(FlexibleCpModel model, CpSolver solver)
        {
            var (found, order) = model.Read(solver);
            graph.Load(found, order);
            if (graph.Evaluate() && graph.Makespan < best.Makespan)
            {
                best = (graph.Makespan, found, order);
            }
        }

        var whole = new FlexibleCpModel(problem, start.Makespan);
        whole.Hint(choice, start.Head);
        var solver = FlexibleCpModel.Solver(workers, budget / 2, seed);
        var status = Run(solver, whole, cancellation);
        var bound = Math.Max(problem.LowerBound, (long)Math.Ceiling(solver.BestObjectiveBound - 1e-6));
        if (status is CpSolverStatus.Optimal or CpSolverStatus.Feasible)
        {
            Keep(whole, solver);
        }

        // Bisection between what is proven and what is known, until they meet or the budget is spent.
        var high = best.Makespan - 1L;
        while (bound <= high && !cancellation.IsCancellationRequested)
        {
            var left = budget - clock.Elapsed;
            if (left < TimeSpan.FromMilliseconds(20))
            {
                break;
            }

            var probe = bound + ((high - bound) / 2);
            var steps = Math.Max(1, (int)Math.Ceiling(Math.Log2(high - bound + 2)));
            var model = new FlexibleCpModel(problem, probe, minimize: false);
            var probing = FlexibleCpModel.Solver(workers, left / steps, seed);
            switch (Run(probing, model, cancellation))
            {
                case CpSolverStatus.Infeasible:
                    bound = probe + 1;
                    break;
                case CpSolverStatus.Feasible or CpSolverStatus.Optimal:
                    Keep(model, probing);
                    high = Math.Min(probe, best.Makespan) - 1L;
                    break;
                default:
                    high = probe - 1;
                    break;
            }
        }

        return new Outcome(bound, best.Makespan <= bound, best.Makespan, best.Choice, best.Sequences);
    }

    private static CpSolverStatus Run(CpSolver solver, FlexibleCpModel model, CancellationToken cancellation)
    {
        using var stop = cancellation.Register(solver.StopSearch);
        return solver.Solve(model.Model);
    }
}
