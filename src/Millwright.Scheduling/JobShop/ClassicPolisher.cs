using Millwright.Scheduling.Flexible;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.JobShop;

/// <summary>
/// CP-SAT large-neighbourhood search on the classic tabu search's best schedule. A classic job shop is a flexible one
/// with a single machine per operation, so this is the flexible engine's <see cref="FlexiblePolisher"/> (time windows
/// around a critical operation or a few machines' sequences freed, the rest kept in order, CP-SAT re-sequencing with
/// the schedule as hint and ceiling) with the schedule translated both ways. Both problems number operations job by
/// job, so an operation has the same number in each. A result is never worse than the schedule given.
/// </summary>
internal sealed class ClassicPolisher
{
    private readonly JobShopProblem _p;
    private readonly FlexiblePolisher _polisher;
    private readonly FlexibleGraph _graph;
    private readonly int[] _choice;

    public ClassicPolisher(JobShopProblem problem, int workers, int seed)
    {
        _p = problem;
        var flexible = new FlexibleProblem(problem.Instance);
        _polisher = new FlexiblePolisher(flexible, workers, seed);
        _graph = new FlexibleGraph(flexible);

        // Every operation's one machine is its option 0.
        _choice = new int[problem.Count];
    }

    /// <summary>Neighbourhoods solved, and how many gave a strictly better makespan.</summary>
    public int Steps => _polisher.Steps;

    public int Improvements => _polisher.Improvements;

    /// <summary>Polishes a tabu worker's solution (start times per operation) for at most <paramref name="budget"/>.</summary>
    public EliteSolution Polish(EliteSolution solution, TimeSpan budget, CancellationToken cancellation)
    {
        var starts = (double[])solution.Payload;
        var sequences = new int[_p.Machines][];
        for (var m = 0; m < _p.Machines; m++)
        {
            // By start, then end, then number: the tabu search's own order, zero-length operations included.
            sequences[m] = [.. _p.MachineOps[m].OrderBy(op => starts[op]).ThenBy(op => starts[op] + _p.Duration[op]).ThenBy(op => op)];
        }

        var (makespan, _, polished) = _polisher.Polish(_choice, sequences, budget, cancellation);
        if (makespan >= solution.Objective)
        {
            return solution;
        }

        _graph.Load(_choice, polished);
        _graph.Evaluate();
        return TabuWorker.Elite(_p, makespan, Array.ConvertAll(_graph.Head, h => (double)h), optimal: false);
    }
}
