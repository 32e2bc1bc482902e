using System.Globalization;
using Google.OrTools.Sat;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// The flexible job shop's makespan as a CP-SAT model: per operation a start and an end, per machine option an
/// optional interval (exactly one present), no overlap per machine, job order and releases. Given a solution and a
/// set of free operations it becomes a neighbourhood instead: every other operation keeps its machine and its place
/// among the other fixed operations of that machine (its times may still shift), so the solver only decides where
/// the free ones go. Used for the lower bound and proof (<see cref="FlexibleCpSat"/>) and for polishing
/// (<see cref="FlexiblePolisher"/>).
/// </summary>
internal sealed class FlexibleCpModel
{
    private readonly FlexibleProblem _p;
    private readonly IntVar[] _start;
    private readonly ILiteral?[][] _chosen;
    private readonly int[] _fixedOption;

    /// <param name="horizon">An upper bound on every end (a known makespan, or the sum of the longest options).</param>
    /// <param name="free">Null: every operation is free. Otherwise only these choose machine and place.</param>
    /// <param name="choice">With <paramref name="free"/>: the solution's option per operation.</param>
    /// <param name="sequences">With <paramref name="free"/>: the solution's operations per machine, in order.</param>
    /// <param name="minimize">False: no objective, only whether a schedule ends by <paramref name="horizon"/> (for the bound's probes).</param>
    public FlexibleCpModel(FlexibleProblem problem, long horizon, bool[]? free = null, int[]? choice = null, int[][]? sequences = null, bool minimize = true)
    {
        _p = problem;
        var n = problem.Count;
        _start = new IntVar[n];
        _chosen = new ILiteral?[n][];
        _fixedOption = new int[n];
        var end = new IntVar[n];
        var everywhere = new List<IntervalVar>(n);
        var onMachine = new List<IntervalVar>[problem.Machines];
        for (var m = 0; m < problem.Machines; m++)
        {
            onMachine[m] = [];
        }

        Makespan = Model.NewIntVar(0, horizon, "makespan");
        for (var op = 0; op < n; op++)
        {
            _start[op] = Model.NewIntVar(problem.Release[op], horizon, "s" + op.ToString(CultureInfo.InvariantCulture));
            end[op] = Model.NewIntVar(0, horizon, "e" + op.ToString(CultureInfo.InvariantCulture));
            var options = problem.OptionMachine[op].Length;
            _chosen[op] = new ILiteral?[options];
            _fixedOption[op] = free is null || free[op] ? -1 : choice![op];
            if (_fixedOption[op] >= 0 || options == 1)
            {
                var option = Math.Max(0, _fixedOption[op]);
                _fixedOption[op] = option;
                var fixedInterval = Model.NewIntervalVar(_start[op], problem.OptionDuration[op][option], end[op], "i" + op.ToString(CultureInfo.InvariantCulture));
                onMachine[problem.OptionMachine[op][option]].Add(fixedInterval);
                everywhere.Add(fixedInterval);
                continue;
            }

            var literals = new ILiteral[options];
            for (var o = 0; o < options; o++)
            {
                var present = Model.NewBoolVar("");
                literals[o] = present;
                _chosen[op][o] = present;
                onMachine[problem.OptionMachine[op][o]].Add(Model.NewOptionalIntervalVar(_start[op], problem.OptionDuration[op][o], end[op], present, ""));
            }

            Model.AddExactlyOne(literals);

            // The operation's length is the chosen option's; it feeds the redundant all-machines constraint below.
            var length = Model.NewIntVar(problem.OptionDuration[op].Min(), problem.OptionDuration[op].Max(), "");
            Model.Add(length == LinearExpr.WeightedSum(literals.Cast<BoolVar>(), problem.OptionDuration[op].Select(d => (long)d)));
            everywhere.Add(Model.NewIntervalVar(_start[op], length, end[op], ""));
        }

        // Redundant: at no time do more operations run than there are machines. It lets CP-SAT reason about the
        // shop's total work against time (energy), which the per-machine constraints with optional intervals hide.
        Model.AddCumulative(problem.Machines).AddDemands(everywhere, Enumerable.Repeat(1L, everywhere.Count));

        for (var op = 0; op < n; op++)
        {
            if (problem.JobNext[op] is var next and >= 0)
            {
                Model.Add(_start[next] >= end[op]);
            }
            else
            {
                Model.Add(Makespan >= end[op]);
            }
        }

        foreach (var intervals in onMachine)
        {
            if (intervals.Count > 1)
            {
                Model.AddNoOverlap(intervals);
            }
        }

        if (free is not null)
        {
            // Fixed operations keep their order on their machine: a chain between each one and the next fixed one.
            foreach (var sequence in sequences!)
            {
                var previous = -1;
                foreach (var op in sequence)
                {
                    if (free[op])
                    {
                        continue;
                    }

                    if (previous >= 0)
                    {
                        Model.Add(_start[op] >= end[previous]);
                    }

                    previous = op;
                }
            }
        }

        if (minimize)
        {
            Model.Minimize(Makespan);
        }
    }

    public CpModel Model { get; } = new();

    public IntVar Makespan { get; }

    /// <summary>Hints a known solution (its option per operation and its start times), so the search begins there.</summary>
    public void Hint(int[] choice, int[] starts)
    {
        for (var op = 0; op < _start.Length; op++)
        {
            Model.AddHint(_start[op], starts[op]);
            for (var o = 0; o < _chosen[op].Length; o++)
            {
                if (_chosen[op][o] is BoolVar present)
                {
                    Model.AddHint(present, o == choice[op] ? 1 : 0);
                }
            }
        }
    }

    /// <summary>
    /// The solver's solution as the search's representation: the option per operation and each machine's
    /// operations ordered by start (then end, then number, which keeps zero-length operations in job order).
    /// </summary>
    public (int[] Choice, int[][] Sequences) Read(CpSolver solver)
    {
        var n = _start.Length;
        var choice = new int[n];
        var starts = new long[n];
        var lists = new List<int>[_p.Machines];
        for (var m = 0; m < _p.Machines; m++)
        {
            lists[m] = [];
        }

        for (var op = 0; op < n; op++)
        {
            starts[op] = solver.Value(_start[op]);
            choice[op] = _fixedOption[op];
            for (var o = 0; o < _chosen[op].Length; o++)
            {
                if (_chosen[op][o] is { } present && solver.BooleanValue(present))
                {
                    choice[op] = o;
                }
            }

            lists[_p.OptionMachine[op][choice[op]]].Add(op);
        }

        var sequences = new int[_p.Machines][];
        for (var m = 0; m < _p.Machines; m++)
        {
            sequences[m] = [.. lists[m].OrderBy(op => starts[op]).ThenBy(op => starts[op] + _p.OptionDuration[op][choice[op]]).ThenBy(op => op)];
        }

        return (choice, sequences);
    }

    /// <summary>A solver with an explicit number of workers (threads), a time limit and a seed.</summary>
    public static CpSolver Solver(int workers, TimeSpan limit, int seed) => new()
    {
        StringParameters = string.Create(CultureInfo.InvariantCulture,
            $"num_workers:{workers} max_time_in_seconds:{Math.Max(0.01, limit.TotalSeconds):0.###} random_seed:{seed & int.MaxValue} log_search_progress:false"),
    };
}
