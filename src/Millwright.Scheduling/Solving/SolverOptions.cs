using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Solving;

/// <summary>
/// How long and how to search. The search stops at whichever comes first: <see cref="TimeLimit"/>,
/// <see cref="IterationLimit"/>, cancellation, or a proof of optimality (the lower bound is reached). The same seed and
/// iteration limit give the same schedule on any machine; a time limit does not, because how many iterations fit
/// in it depends on the machine and its load.
/// </summary>
public sealed record SolverOptions
{
    public TimeSpan? TimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Search iterations per worker (tabu moves or local-search steps).</summary>
    public long? IterationLimit { get; init; }

    public int Seed { get; init; } = 1;

    public Objective Objective { get; init; } = Objective.Makespan;

    /// <summary>Independent searches run side by side, one thread each, sharing their best at sync points.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Iterations each worker runs between two sync points; part of what fixes the result for a seed.</summary>
    public int SyncInterval { get; init; } = 20_000;

    /// <summary>
    /// A schedule to start from, for each job and each of its operations the machine and start it had (null: no
    /// hint for it), such as the plan being followed. The first worker of the flexible search begins there and keeps
    /// it unless it finds a strictly better one, so a re-plan moves only what pays; operations without a hint start
    /// after the hinted ones. The classic job-shop search ignores it.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? StartFrom { get; init; }

    /// <summary>
    /// Under weighted tardiness, what departing from <see cref="StartFrom"/> costs: added to the objective, so that the
    /// search moves an operation off its hinted machine or start only where the gain in tardiness pays for it.
    /// Null (or without a hint) it costs nothing.
    /// </summary>
    public ChangePenalty? Changes { get; init; }

    /// <summary>
    /// Whether CP-SAT joins the flexible makespan search (no setups or downtime) of a run with a time limit and no
    /// iteration limit: a proven lower bound, a proof of optimality on small instances, and polishing of the tabu
    /// search's best by large-neighbourhood search. Its threads are <see cref="Workers"/>, so the run stays on as many cores.
    /// </summary>
    public bool UseCpSat { get; init; } = true;

    /// <summary>Share of the time limit CP-SAT spends on the whole instance first (bound, proof, a first schedule).</summary>
    public double CpSatBoundShare { get; init; } = 0.1;

    /// <summary>Share of the time limit the tabu search runs between two polishing bursts.</summary>
    public double CpSatPolishEvery { get; init; } = 1.0 / 6;

    /// <summary>Share of the time limit each polishing burst may take.</summary>
    public double CpSatPolishFor { get; init; } = 1.0 / 20;

    /// <summary>
    /// Whether CP-SAT polishes the classic job shop's tabu search too (makespan, with a time limit and no iteration
    /// limit, and <see cref="UseCpSat"/>). Off by default: it has not been shown to beat the tabu search alone at an
    /// equal load (docs/benchmarks.md).
    /// </summary>
    public bool ClassicPolish { get; init; }

    /// <summary>With <see cref="ClassicPolish"/>: share of the time limit the classic tabu search runs between two polishing bursts.</summary>
    public double ClassicPolishEvery { get; init; } = 0.1;

    /// <summary>With <see cref="ClassicPolish"/>: share of the time limit each polishing burst may take.</summary>
    public double ClassicPolishFor { get; init; } = 0.05;
}
