using Millwright.Scheduling.Model;
using System.Diagnostics;

namespace Millwright.Scheduling.Solving;

/// <summary>
/// Runs workers on their own threads in epochs of <see cref="SolverOptions.SyncInterval"/> iterations. At the end of
/// each epoch every worker publishes its best, a barrier's post-phase action (one thread, all others waiting) decides
/// whether to go on, and then each worker imports the others' bests. Decisions are taken only there, from published
/// data, so all workers take the same one; with an iteration budget the whole run is a function of the seed.
/// With a <see cref="Polishing"/>, the post-phase action also polishes the best export at the intervals it sets
/// (the workers wait meanwhile, so the polisher has the cores), and every worker imports the result.
/// </summary>
internal static class ParallelDriver
{
    public static SolveResult Run(IReadOnlyList<ISearchWorker> workers, SolverOptions options, Incumbent incumbent, Stopwatch clock, long lowerBound,
        CancellationToken cancellation, Polishing? polishing = null, BoundSource boundSource = BoundSource.Simple)
    {
        var n = workers.Count;
        var exports = new EliteSolution[2, n];
        var epoch = 0;
        StopReason? decision = null;
        Exception? failure = null;
        var shared = polishing?.Start;
        var polishAt = polishing is null ? TimeSpan.MaxValue : clock.Elapsed + polishing.Every;
        bool Stop() => cancellation.IsCancellationRequested || (options.TimeLimit is { } limit && clock.Elapsed >= limit);

        // Workers also hand over when polishing is due, so that it starts on time.
        bool StopOrPolish() => Stop() || clock.Elapsed >= polishAt;

        using var abort = new CancellationTokenSource();
        using var barrier = new Barrier(n, _ =>
        {
            var parity = epoch % 2;
            decision = null;
            for (var i = 0; i < n; i++)
            {
                // A weighted tardiness of 0 still leaves the makespan tie-break to improve: there the workers decide.
                if (exports[parity, i].Optimal || (options.Objective == Objective.Makespan && exports[parity, i].Objective <= lowerBound))
                {
                    decision = StopReason.Optimal;
                }
            }

            if (decision is null && options.IterationLimit is { } budget && workers.All(w => w.Iterations >= budget))
            {
                decision = StopReason.IterationLimit;
            }

            decision ??= cancellation.IsCancellationRequested ? StopReason.Cancelled : Stop() ? StopReason.TimeLimit : null;
            if (decision is null && polishing is not null && clock.Elapsed >= polishAt)
            {
                var best = exports[parity, 0];
                for (var i = 1; i < n; i++)
                {
                    best = exports[parity, i].Objective < best.Objective ? exports[parity, i] : best;
                }

                var left = options.TimeLimit is { } limit ? limit - clock.Elapsed : polishing.For;
                var polished = polishing.Polish(best, left < polishing.For ? left : polishing.For, cancellation);
                if (polished.Objective < best.Objective)
                {
                    shared = polished;
                    incumbent.Offer(polished.Objective, polished.Schedule);
                }

                polishAt = clock.Elapsed + polishing.Every;
            }

            epoch++;
        });

        void Loop(int index)
        {
            var worker = workers[index];
            try
            {
                while (true)
                {
                    var parity = epoch % 2;
                    var budget = options.IterationLimit is { } limit ? Math.Min(options.SyncInterval, limit - worker.Iterations) : options.SyncInterval;
                    if (budget > 0 && !worker.Optimal)
                    {
                        worker.Run(budget, StopOrPolish);
                    }

                    exports[parity, index] = worker.Export();
                    barrier.SignalAndWait(abort.Token);
                    if (decision is not null)
                    {
                        return;
                    }

                    for (var other = 0; other < n; other++)
                    {
                        if (other != index)
                        {
                            worker.Import(exports[parity, other]);
                        }
                    }

                    if (shared is not null)
                    {
                        worker.Import(shared);
                    }
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // A worker's failure must reach the caller, and the other workers must not wait for it forever.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, e, null);
                abort.Cancel();
            }
        }

        var threads = Enumerable.Range(0, n).Select(i => new Thread(() => Loop(i)) { IsBackground = true, Name = $"scheduling worker {i}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure is not null)
        {
            throw new InvalidOperationException("a search worker failed", failure);
        }

        // The last epoch's exports are the same for a given seed and budget; the lowest-numbered best wins ties.
        var last = (epoch - 1) % 2;
        var best = exports[last, 0];
        for (var i = 1; i < n; i++)
        {
            if (exports[last, i].Objective < best.Objective)
            {
                best = exports[last, i];
            }
        }

        incumbent.Offer(best.Objective, best.Schedule);
        var found = incumbent.Best!;
        var measured = incumbent.Measure(best.Schedule()) with { FoundAfter = found.Objective == best.Objective ? found.FoundAfter : clock.Elapsed };
        return new SolveResult(measured, workers.Sum(w => w.Iterations), clock.Elapsed, decision ?? StopReason.Cancelled, lowerBound, boundSource);
    }
}
