namespace Millwright.Scheduling.Solving;

/// <summary>
/// One single-threaded search. The driver runs workers side by side in epochs; everything a worker does between two
/// sync points depends only on its seed and what it imported, which is what makes a run repeatable.
/// </summary>
internal interface ISearchWorker
{
    long Iterations { get; }

    /// <summary>True once the worker's best provably cannot be improved.</summary>
    bool Optimal { get; }

    /// <summary>Runs up to <paramref name="iterations"/> more iterations, returning early when <paramref name="stop"/> says so.</summary>
    void Run(long iterations, Func<bool> stop);

    EliteSolution Export();

    void Import(EliteSolution other);
}
