using System.Diagnostics;
using Millwright.Scheduling.Flexible;
using Millwright.Scheduling.JobShop;
using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Solving;

/// <summary>
/// Entry point: picks the tabu search for a classic job shop under makespan, the flexible tabu search for a flexible
/// shop without setups or downtime under makespan, and the flexible local search for everything else, and runs <see cref="SolverOptions.Workers"/> of them side by side with different seeds.
/// </summary>
public static class SchedulingSolver
{
    public static SolveResult Solve(ShopInstance instance, SolverOptions options, CancellationToken cancellation = default) =>
        Start(instance, options, cancellation).Completion.GetAwaiter().GetResult();

    public static SolverRun Start(ShopInstance instance, SolverOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Workers is < 1 or > 64 || options.SyncInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Workers must be 1..64 and SyncInterval positive");
        }

        if (options.TimeLimit is null && options.IterationLimit is null && !cancellation.CanBeCanceled)
        {
            throw new ArgumentException("a search without a time limit, an iteration limit or a cancellation token would never end", nameof(options));
        }

        if (options.TimeLimit is { } limit && limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TimeLimit must be positive");
        }

        var clock = Stopwatch.StartNew();
        var incumbent = new Incumbent(clock, schedule => Measure(instance, options, schedule));
        var completion = Task.Factory.StartNew(() =>
        {
            if (UsesCpSat(instance, options))
            {
                return instance.IsClassic
                    ? SolveClassicWithCpSat(new JobShopProblem(instance), options, incumbent, clock, cancellation)
                    : SolveFlexibleWithCpSat(new FlexibleProblem(instance), options, incumbent, clock, cancellation);
            }

            var (workers, lowerBound) = CreateWorkers(instance, options, incumbent);
            return ParallelDriver.Run(workers, options, incumbent, clock, lowerBound, cancellation);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new SolverRun(incumbent, completion);
    }

    /// <summary>
    /// CP-SAT joins the tabu searches for makespan (flexible without setups or downtime; classic only with
    /// <see cref="SolverOptions.ClassicPolish"/>) when asked and when the run has a time limit to share out. A run
    /// bounded by iterations alone stays a pure function of its seed without it.
    /// </summary>
    private static bool UsesCpSat(ShopInstance instance, SolverOptions options) =>
        options.UseCpSat && options.TimeLimit is not null && options.IterationLimit is null && options.Objective == Objective.Makespan
        && options.StartFrom is null && FlexibleProblem.Fits(instance) && (!instance.IsClassic || options.ClassicPolish);

    /// <summary>
    /// The classic tabu search, with its best schedule polished by CP-SAT large-neighbourhood search every
    /// <see cref="SolverOptions.ClassicPolishEvery"/> of the time limit for <see cref="SolverOptions.ClassicPolishFor"/>
    /// while the workers wait (so CP-SAT has their cores); a better polished schedule joins every worker's elite pool.
    /// No bound phase, unlike the flexible path: the run keeps the simple bound (longest job, busiest machine).
    /// </summary>
    private static SolveResult SolveClassicWithCpSat(JobShopProblem problem, SolverOptions options, Incumbent incumbent, Stopwatch clock, CancellationToken cancellation)
    {
        var limit = options.TimeLimit!.Value;
        var workers = Enumerable.Range(0, options.Workers).Select(i => (ISearchWorker)new TabuWorker(problem, WorkerSeed(options, i), incumbent)).ToArray();
        var polisher = new ClassicPolisher(problem, options.Workers, options.Seed);
        var polishing = new Polishing(polisher.Polish, limit * options.ClassicPolishEvery, limit * options.ClassicPolishFor, null);
        return ParallelDriver.Run(workers, options, incumbent, clock, problem.LowerBound, cancellation, polishing);
    }

    /// <summary>
    /// First <see cref="SolverOptions.CpSatBoundShare"/> of the time: CP-SAT on the whole instance, for a proven lower
    /// bound and, on small instances, a proof of optimality that ends the run. Then the tabu search, polished by CP-SAT
    /// large-neighbourhood search every <see cref="SolverOptions.CpSatPolishEvery"/> of it, starting from CP-SAT's
    /// schedule when that is better than theirs. CP-SAT runs with <see cref="SolverOptions.Workers"/> threads while
    /// the tabu workers wait, so the run never uses more threads than that.
    /// </summary>
    private static SolveResult SolveFlexibleWithCpSat(FlexibleProblem problem, SolverOptions options, Incumbent incumbent, Stopwatch clock, CancellationToken cancellation)
    {
        var limit = options.TimeLimit!.Value;
        var cp = FlexibleCpSat.Solve(problem, limit * options.CpSatBoundShare, options.Workers, options.Seed, cancellation);
        var source = cp.Bound > problem.LowerBound ? BoundSource.CpSat : BoundSource.Simple;
        var start = cp.Choice is null ? null : FlexibleTabuWorker.Elite(problem, cp.Makespan, cp.Choice, cp.Sequences!, cp.Optimal);
        if (cp.Optimal && start is not null)
        {
            incumbent.Offer(start.Objective, start.Schedule);
            var best = incumbent.Best!;
            return new SolveResult(best, 0, clock.Elapsed, StopReason.Optimal, cp.Bound, source);
        }

        var workers = Enumerable.Range(0, options.Workers).Select(i => (ISearchWorker)new FlexibleTabuWorker(problem, WorkerSeed(options, i), incumbent)).ToArray();
        var polisher = new FlexiblePolisher(problem, options.Workers, options.Seed);
        var polishing = new Polishing((best, budget, ct) =>
        {
            var (choice, sequences) = ((int[], int[][]))best.Payload;
            var (makespan, polishedChoice, polishedSequences) = polisher.Polish(choice, sequences, budget, ct);
            return FlexibleTabuWorker.Elite(problem, makespan, polishedChoice, polishedSequences, false);
        }, limit * options.CpSatPolishEvery, limit * options.CpSatPolishFor, start);
        return ParallelDriver.Run(workers, options, incumbent, clock, cp.Bound, cancellation, polishing, source);
    }

    // Each worker's seed is a fixed function of the run's seed and the worker's number.
    private static int WorkerSeed(SolverOptions options, int i) => unchecked((options.Seed * 1_000_003) + (i * 7919));

    private static (ISearchWorker[] Workers, long LowerBound) CreateWorkers(ShopInstance instance, SolverOptions options, Incumbent incumbent)
    {
        int WorkerSeed(int i) => SchedulingSolver.WorkerSeed(options, i);
        if (instance.IsClassic && options.Objective == Objective.Makespan)
        {
            var problem = new JobShopProblem(instance);
            var tabu = Enumerable.Range(0, options.Workers).Select(i => (ISearchWorker)new TabuWorker(problem, WorkerSeed(i), incumbent)).ToArray();
            return (tabu, problem.LowerBound);
        }

        if (options.Objective == Objective.Makespan && options.StartFrom is null && FlexibleProblem.Fits(instance))
        {
            var problem = new FlexibleProblem(instance);
            var tabu = Enumerable.Range(0, options.Workers).Select(i => (ISearchWorker)new FlexibleTabuWorker(problem, WorkerSeed(i), incumbent)).ToArray();
            return (tabu, problem.LowerBound);
        }

        var makespanBound = instance.Jobs.Max(j => j.Release + j.Operations.Sum(o => (long)o.Options.Min(x => x.Duration)));
        var flexible = Enumerable.Range(0, options.Workers)
            .Select(i => (ISearchWorker)new FlexibleWorker(instance, options.Objective, WorkerSeed(i), incumbent, makespanBound,
                i == 0 ? options.StartFrom : null, options.Changes, options.StartFrom)).ToArray();
        return (flexible, options.Objective == Objective.TotalWeightedTardiness ? 0 : makespanBound);
    }

    /// <summary>The objective of a schedule as the workers count it: under weighted tardiness with <see cref="SolverOptions.Changes"/>, the change penalty included.</summary>
    private static SolverSnapshot Measure(ShopInstance instance, SolverOptions options, Schedule schedule)
    {
        var objective = options.Objective;
        long makespan = 0, tardiness = 0;
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            var last = schedule.Jobs[j][^1];
            var end = (long)last.Start + Schedule.DurationOn(instance, j, instance.Jobs[j].Operations.Count - 1, last.Machine);
            makespan = Math.Max(makespan, end);
            if (instance.Jobs[j].Due is { } due && end > due)
            {
                tardiness += instance.Jobs[j].Weight * (end - due);
            }
        }

        var penalty = objective == Objective.TotalWeightedTardiness && options is { Changes.IsActive: true, StartFrom: { } reference }
            ? options.Changes.Of(instance, schedule, reference)
            : 0;
        return new SolverSnapshot(schedule, objective == Objective.Makespan ? makespan : tardiness + penalty, makespan, tardiness, TimeSpan.Zero);
    }
}
