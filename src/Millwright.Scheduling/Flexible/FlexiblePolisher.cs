using System.Diagnostics;
using Google.OrTools.Sat;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Large-neighbourhood search with CP-SAT on a finished schedule: frees a part of it, either the operations nearest
/// in time to a random critical operation (a time window) or every operation of a few machines, keeps every other
/// operation on its machine and in its order there, and lets CP-SAT re-optimize the makespan with the current
/// schedule as its hint and as a ceiling. A result is kept only when its makespan, as the tabu search's own graph
/// evaluates it, is no worse, so polishing never worsens a schedule. The number of free operations adapts: up when
/// CP-SAT settles a neighbourhood (proves it optimal) in time, down when it does not.
/// </summary>
internal sealed class FlexiblePolisher
{
    private const int MinFree = 8;
    private const double StepSeconds = 1.5;
    private readonly FlexibleProblem _p;
    private readonly int _workers;
    private readonly Random _random;
    private readonly FlexibleGraph _current;
    private readonly FlexibleGraph _trial;
    private double _free;

    public FlexiblePolisher(FlexibleProblem problem, int workers, int seed)
    {
        _p = problem;
        _workers = workers;
        _random = new Random(seed);
        _current = new FlexibleGraph(problem);
        _trial = new FlexibleGraph(problem);
        _free = Math.Min(problem.Count, 40);
    }

    /// <summary>Neighbourhoods solved, and how many of them gave a strictly better makespan (for the docs' figures).</summary>
    public int Steps { get; private set; }

    public int Improvements { get; private set; }

    /// <summary>
    /// Polishes the schedule for at most <paramref name="budget"/> (CP-SAT's time included) and returns the best
    /// schedule seen, which is the one given when nothing better (or equal and different) was found.
    /// </summary>
    public (int Makespan, int[] Choice, int[][] Sequences) Polish(int[] choice, int[][] sequences, TimeSpan budget, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        _current.Load(choice, sequences);
        if (!_current.Evaluate())
        {
            throw new ArgumentException("the schedule to polish has a cycle", nameof(sequences));
        }

        while (!cancellation.IsCancellationRequested)
        {
            var left = budget - clock.Elapsed;
            // A step much shorter than CP-SAT's presolve settles nothing.
            if (left < TimeSpan.FromMilliseconds(200))
            {
                break;
            }

            var step = left < TimeSpan.FromSeconds(StepSeconds) ? left : TimeSpan.FromSeconds(StepSeconds);
            Step(step, cancellation);
        }

        return (_current.Makespan, (int[])_current.Choice.Clone(), _current.Sequences());
    }

    private void Step(TimeSpan limit, CancellationToken cancellation)
    {
        var free = _random.Next(2) == 0 ? TimeWindow() : Machines();
        var sequences = _current.Sequences();
        var model = new FlexibleCpModel(_p, _current.Makespan, free, _current.Choice, sequences);
        model.Hint(_current.Choice, _current.Head);
        var solver = FlexibleCpModel.Solver(_workers, limit, _random.Next());
        using var stop = cancellation.Register(solver.StopSearch);
        var status = solver.Solve(model.Model);
        Steps++;
        _free = status == CpSolverStatus.Optimal ? Math.Min(_p.Count, _free * 1.15) : Math.Max(MinFree, _free * 0.8);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return;
        }

        var (choice, order) = model.Read(solver);
        _trial.Load(choice, order);
        if (_trial.Evaluate() && _trial.Makespan <= _current.Makespan)
        {
            // Equal makespans are taken too: another schedule of the same length lets the next window find more.
            Improvements += _trial.Makespan < _current.Makespan ? 1 : 0;
            _current.CopyFrom(_trial);
        }
    }

    /// <summary>The operations whose starts are nearest to a random critical operation's start.</summary>
    private bool[] TimeWindow()
    {
        var critical = Enumerable.Range(0, _p.Count).Where(op => _current.Head[op] + _current.Duration[op] + _current.Tail[op] == _current.Makespan).ToList();
        var centre = _current.Head[critical[_random.Next(critical.Count)]];
        var free = new bool[_p.Count];
        foreach (var op in Enumerable.Range(0, _p.Count).OrderBy(op => Math.Abs(_current.Head[op] - centre)).ThenBy(_ => _random.Next()).Take((int)_free))
        {
            free[op] = true;
        }

        return free;
    }

    /// <summary>Every operation of random machines (the first one carrying a critical operation) until enough are free.</summary>
    private bool[] Machines()
    {
        var free = new bool[_p.Count];
        var critical = Enumerable.Range(0, _p.Count).Where(op => _current.Head[op] + _current.Duration[op] + _current.Tail[op] == _current.Makespan).ToList();
        var machines = Enumerable.Range(0, _p.Machines).OrderBy(_ => _random.Next()).ToList();
        var first = _current.Machine[critical[_random.Next(critical.Count)]];
        machines.Remove(first);
        machines.Insert(0, first);
        var count = 0;
        foreach (var m in machines)
        {
            if (count >= (int)_free)
            {
                break;
            }

            for (var op = _current.First[m]; op >= 0; op = _current.MachineNext[op])
            {
                free[op] = true;
                count++;
            }
        }

        return free;
    }
}
