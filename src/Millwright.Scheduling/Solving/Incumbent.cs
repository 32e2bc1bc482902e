using System.Diagnostics;
using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Solving;

/// <summary>
/// The best schedule of a run so far, shared by its workers (any thread may offer) and readable at any time: this is
/// what makes the solver anytime.
/// </summary>
internal sealed class Incumbent
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock;
    private readonly Func<Schedule, SolverSnapshot> _measure;
    private long _objective = long.MaxValue;
    private volatile SolverSnapshot? _best;

    public Incumbent(Stopwatch clock, Func<Schedule, SolverSnapshot> measure)
    {
        _clock = clock;
        _measure = measure;
    }

    public SolverSnapshot? Best => _best;

    public SolverSnapshot Measure(Schedule schedule) => _measure(schedule);

    public long Objective => Interlocked.Read(ref _objective);

    /// <summary>Takes the schedule when it beats the best so far; the schedule is built only in that case.</summary>
    public void Offer(long objective, Func<Schedule> schedule)
    {
        if (objective >= Objective)
        {
            return;
        }

        var built = schedule();
        lock (_lock)
        {
            if (objective < _objective)
            {
                _best = _measure(built) with { FoundAfter = _clock.Elapsed };
                Interlocked.Exchange(ref _objective, objective);
            }
        }
    }
}
