using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Tabu search for the flexible job shop's makespan (no setups or downtime): every iteration takes each critical
/// operation off its machine and scores every feasible reinsertion on each machine that can run it
/// (<see cref="InsertionMoves"/>), then makes the best move that is not tabu. Tabu: after a move, the operation may not
/// go back to the machine it left, or (when it stayed on its machine) back behind the operation it left, for a random
/// tenure; aspiration by the run's best. When a run stalls, its best joins a small pool of distinct good solutions
/// (<see cref="FlexibleElite"/>) and the search restarts, half the time from the worker's best and half the time
/// from a random pool entry, kicked by a few random moves, more of them the longer restarts have not improved the best.
/// </summary>
internal sealed class FlexibleTabuWorker : ISearchWorker
{
    private const int EliteSize = 8;
    private const int MaxExtraKicks = 12;
    private readonly FlexibleProblem _p;
    private readonly Random _random;
    private readonly Incumbent _incumbent;
    private readonly FlexibleGraph _current;
    private readonly FlexibleGraph _best;
    private readonly FlexibleGraph _runBestGraph;
    private readonly FlexibleElite _elite = new(EliteSize);
    private readonly InsertionMoves _neighbourhood;
    private readonly List<InsertionMove> _moves = [];
    private readonly long[] _machineTabu;
    private readonly PairTabu _pairTabu;
    private readonly int _tenureMin;
    private readonly int _tenureMax;
    private readonly int _stallLimit;
    private int _runBest;
    private int _stalled;
    private int _failedRestarts;
    private int _bestAtRestart;

    public FlexibleTabuWorker(FlexibleProblem problem, int seed, Incumbent incumbent)
    {
        _p = problem;
        _random = new Random(seed);
        _incumbent = incumbent;
        _current = new FlexibleGraph(problem);
        _best = new FlexibleGraph(problem);
        _runBestGraph = new FlexibleGraph(problem);
        _neighbourhood = new InsertionMoves(problem);
        _machineTabu = new long[problem.Count * problem.Machines];
        _pairTabu = new PairTabu(problem.Count);
        _tenureMin = 10 + (problem.FirstOfJob.Length / problem.Machines);
        _tenureMax = _tenureMin + (_tenureMin * 2 / 5);
        _stallLimit = Math.Max(1_000, 10 * problem.Count);
        var (choice, sequences) = FlexibleConstruction.Build(problem, _random);
        _current.Load(choice, sequences);
        _current.Evaluate();
        _best.CopyFrom(_current);
        _runBestGraph.CopyFrom(_current);
        _runBest = _current.Makespan;
        _bestAtRestart = _best.Makespan;
        Offer();
    }

    public long Iterations { get; private set; }

    public bool Optimal => _best.Makespan <= _p.LowerBound;

    public void Run(long iterations, Func<bool> stop)
    {
        var end = Iterations + iterations;
        while (Iterations < end && !Optimal)
        {
            if ((Iterations & 15) == 0 && stop())
            {
                return;
            }

            if (_stalled >= _stallLimit)
            {
                Restart();
            }

            Step();
            Iterations++;
        }
    }

    public EliteSolution Export()
    {
        return Elite(_p, _best.Makespan, (int[])_best.Choice.Clone(), _best.Sequences(), Optimal);
    }

    /// <summary>A solution in the form these workers export and import (payload: option per operation, sequence per machine).</summary>
    public static EliteSolution Elite(FlexibleProblem problem, int makespan, int[] choice, int[][] sequences, bool optimal) =>
        new(makespan, () => Build(problem, choice, sequences), (choice, sequences), optimal);

    public void Import(EliteSolution other)
    {
        if (other.Objective < _best.Makespan)
        {
            var (choice, sequences) = ((int[], int[][]))other.Payload;
            _best.Load(choice, sequences);
            _best.Evaluate();
            _current.CopyFrom(_best);
            _runBestGraph.CopyFrom(_best);
            _runBest = _current.Makespan;
            _stalled = 0;
        }
    }

    private void Step()
    {
        _moves.Clear();
        _neighbourhood.Prepare(_current);
        for (var op = 0; op < _p.Count; op++)
        {
            if (_current.Head[op] + _current.Duration[op] + _current.Tail[op] == _current.Makespan && _current.Duration[op] > 0)
            {
                _neighbourhood.Collect(_current, op, _moves);
            }
        }

        if (_moves.Count == 0)
        {
            _stalled = _stallLimit;
            return;
        }

        var chosen = -1;
        var ties = 0;
        for (var i = 0; i < _moves.Count; i++)
        {
            var move = _moves[i];
            if (IsTabu(move) && move.Makespan >= _runBest)
            {
                continue;
            }

            var better = chosen < 0 ? -1 : (move.Makespan, move.Through).CompareTo((_moves[chosen].Makespan, _moves[chosen].Through));
            if (better < 0)
            {
                (chosen, ties) = (i, 1);
            }
            else if (better == 0 && _random.Next(++ties) == 0)
            {
                chosen = i;
            }
        }

        Apply(_moves[chosen < 0 ? _random.Next(_moves.Count) : chosen], remember: true);
        if (_current.Makespan < _runBest)
        {
            _runBest = _current.Makespan;
            _runBestGraph.CopyFrom(_current);
            _stalled = 0;
            if (_current.Makespan < _best.Makespan)
            {
                _best.CopyFrom(_current);
                Offer();
            }
        }
        else
        {
            _stalled++;
        }
    }

    /// <summary>
    /// A move to another machine is tabu when the operation left that machine recently; a move along its machine is
    /// tabu when it would put back, in either order, a pair of operations a recent move separated (whichever moves).
    /// </summary>
    private bool IsTabu(InsertionMove move)
    {
        var (v, machine) = (move.Op, _p.OptionMachine[move.Op][move.Option]);
        if (machine != _current.Machine[v])
        {
            return _machineTabu[(v * _p.Machines) + machine] > Iterations;
        }

        if (move.After >= 0 && _current.Position[move.After] > _current.Position[v])
        {
            // Forward: v goes behind every operation from its successor up to After.
            for (var x = _current.MachineNext[v]; x >= 0; x = _current.MachineNext[x])
            {
                if (_pairTabu.IsTabu(x, v, Iterations))
                {
                    return true;
                }

                if (x == move.After)
                {
                    break;
                }
            }

            return false;
        }

        // Backward: v goes ahead of every operation after After up to its predecessor.
        for (var x = _current.MachinePrev[v]; x >= 0 && x != move.After; x = _current.MachinePrev[x])
        {
            if (_pairTabu.IsTabu(v, x, Iterations))
            {
                return true;
            }
        }

        return false;
    }

    private void Apply(InsertionMove move, bool remember)
    {
        var (op, oldMachine, oldAfter, oldNext) = (move.Op, _current.Machine[move.Op], _current.MachinePrev[move.Op], _current.MachineNext[move.Op]);
        var forward = move.After >= 0 && _p.OptionMachine[op][move.Option] == oldMachine && _current.Position[move.After] > _current.Position[op];
        _current.Remove(op);
        _current.Insert(op, move.Option, move.After);
        if (!_current.Evaluate())
        {
            // The insertion range keeps the graph acyclic; this guard only protects against a zero-length corner case.
            _current.Remove(op);
            var back = Array.IndexOf(_p.OptionMachine[op], oldMachine);
            _current.Insert(op, back, oldAfter);
            _current.Evaluate();
            return;
        }

        if (remember)
        {
            var until = Iterations + _random.Next(_tenureMin, _tenureMax + 1);
            if (oldMachine != _current.Machine[op])
            {
                _machineTabu[(op * _p.Machines) + oldMachine] = until;
            }
            else if (forward)
            {
                // It was ahead of its old successor: putting that order back (by either operation moving) is tabu.
                _pairTabu.Mark(op, oldNext, until);
            }
            else
            {
                _pairTabu.Mark(oldAfter, op, until);
            }
        }
    }

    /// <summary>
    /// Back to the worker's best or a random pool entry, kicked by a few random moves of critical operations: 2 to 7,
    /// plus one for each restart in a row that did not improve the best (at most <see cref="MaxExtraKicks"/>).
    /// </summary>
    private void Restart()
    {
        _elite.Offer(_runBestGraph);
        _failedRestarts = _best.Makespan < _bestAtRestart ? 0 : _failedRestarts + 1;
        _bestAtRestart = _best.Makespan;
        if (_elite.Count > 1 && _random.Next(2) == 0)
        {
            _elite.LoadRandom(_current, _random);
        }
        else
        {
            _current.CopyFrom(_best);
        }

        var kicks = _random.Next(2, 8) + Math.Min(_failedRestarts, MaxExtraKicks);
        for (var i = 0; i < kicks; i++)
        {
            _moves.Clear();
            _neighbourhood.Prepare(_current);
            var critical = Enumerable.Range(0, _p.Count).Where(op => _current.Head[op] + _current.Duration[op] + _current.Tail[op] == _current.Makespan).ToList();
            _neighbourhood.Collect(_current, critical[_random.Next(critical.Count)], _moves);
            if (_moves.Count > 0)
            {
                Apply(_moves[_random.Next(_moves.Count)], remember: false);
            }
        }

        Array.Clear(_machineTabu);
        _pairTabu.Clear();
        _runBest = _current.Makespan;
        _runBestGraph.CopyFrom(_current);
        _stalled = 0;
    }

    private void Offer()
    {
        if (_best.Makespan < _incumbent.Objective)
        {
            var (choice, sequences) = ((int[])_best.Choice.Clone(), _best.Sequences());
            _incumbent.Offer(_best.Makespan, () => Build(_p, choice, sequences));
        }
    }

    private static Schedule Build(FlexibleProblem problem, int[] choice, int[][] sequences)
    {
        var graph = new FlexibleGraph(problem);
        graph.Load(choice, sequences);
        graph.Evaluate();
        return graph.ToSchedule();
    }
}
