namespace Millwright.Scheduling.JobShop;

/// <summary>
/// Path relinking between two solutions after Peng, Lü and Cheng's TS/PR (2015): starting from the initiating
/// solution, each step puts the guiding solution's operation into the first position of a random machine where the two
/// still differ (an insertion, so the machine's matched prefix grows by one and the path has at most as many steps as
/// the distance). A step that would make a cycle is undone and that machine waits until another step succeeds. The
/// solution handed back is the best by makespan among those on the path that are at least <see cref="Margin"/> of the
/// distance away from both ends: far enough from either to leave its valley, yet built from both.
/// </summary>
internal sealed class PathRelinking
{
    /// <summary>Share of the distance a chosen solution keeps from each end.</summary>
    public const double Margin = 0.25;
    private readonly JobShopState _best;
    private readonly int[] _firstDifference;
    private readonly bool[] _blocked;
    private readonly int[] _open;

    public PathRelinking(JobShopProblem problem)
    {
        _best = new JobShopState(problem);
        _firstDifference = new int[problem.Machines];
        _blocked = new bool[problem.Machines];
        _open = new int[problem.Machines];
    }

    /// <summary>Steps taken by the last relinking (for tests).</summary>
    public int Steps { get; private set; }

    /// <summary>
    /// Walks from <paramref name="current"/> (holding the initiating solution, whose machine orders are
    /// <paramref name="from"/>) towards <paramref name="guide"/>, and leaves in <paramref name="current"/> the chosen
    /// solution on the path, evaluated. Returns false, with <paramref name="current"/> unchanged, when the two are too close
    /// for any solution to keep the margin.
    /// </summary>
    public bool Relink(JobShopState current, int[][] from, int[][] guide, Random random)
    {
        Steps = 0;
        var total = DiversePopulation.Distance(from, guide);
        var margin = (int)Math.Ceiling(total * Margin);
        if (margin < 1 || total - margin < margin)
        {
            return false;
        }

        Array.Clear(_firstDifference);
        Array.Clear(_blocked);
        var found = false;
        int bestMakespan = int.MaxValue, ties = 0;
        while (true)
        {
            var open = 0;
            for (var m = 0; m < guide.Length; m++)
            {
                var seq = current.Sequence[m];
                while (_firstDifference[m] < seq.Length && seq[_firstDifference[m]] == guide[m][_firstDifference[m]])
                {
                    _firstDifference[m]++;
                }

                if (_firstDifference[m] < seq.Length && !_blocked[m])
                {
                    _open[open++] = m;
                }
            }

            if (open == 0)
            {
                break;
            }

            var machine = _open[random.Next(open)];
            var to = _firstDifference[machine];
            var at = current.Position[guide[machine][to]];
            current.Move(machine, at, to);
            if (!current.Evaluate())
            {
                current.Move(machine, to, at);
                _blocked[machine] = true;
                continue;
            }

            Array.Clear(_blocked);
            Steps++;
            var toGuide = DiversePopulation.Distance(current.Sequence, guide);
            if (toGuide < margin)
            {
                break;
            }

            if (DiversePopulation.Distance(current.Sequence, from) < margin)
            {
                continue;
            }

            if (current.Makespan < bestMakespan)
            {
                (bestMakespan, ties) = (current.Makespan, 1);
                _best.CopyFrom(current);
                found = true;
            }
            else if (current.Makespan == bestMakespan && random.Next(++ties) == 0)
            {
                _best.CopyFrom(current);
            }
        }

        if (!found)
        {
            // Every step that kept the margin made a cycle; go back to the start (its heads may be stale after an undo).
            current.LoadSequences(from);
            return false;
        }

        current.CopyFrom(_best);
        return true;
    }
}
