namespace Millwright.Scheduling.Solving;

/// <summary>A running search: <see cref="Best"/> is its best schedule so far (null only before the first one exists).</summary>
public sealed class SolverRun
{
    private readonly Incumbent _incumbent;

    internal SolverRun(Incumbent incumbent, Task<SolveResult> completion)
    {
        _incumbent = incumbent;
        Completion = completion;
    }

    public SolverSnapshot? Best => _incumbent.Best;

    public Task<SolveResult> Completion { get; }
}
