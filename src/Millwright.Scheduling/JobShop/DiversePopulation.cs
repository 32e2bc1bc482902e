namespace Millwright.Scheduling.JobShop;

/// <summary>
/// The good solutions a worker relinks between, kept diverse after Peng, Lü and Cheng's TS/PR (2015) and Lü and Hao's
/// goodness score: a newcomer always joins while there is room; when full, the member with the lowest goodness
/// (a weighted mix of its makespan's rank and its distance to the nearest other member) leaves, which may be the
/// newcomer itself. A solution close to others must therefore be clearly better to stay, so the population does not
/// collapse into one valley. The best member never leaves, and a copy of a member is never taken.
/// </summary>
internal sealed class DiversePopulation
{
    // Weight of quality against distance in the goodness score (Lü and Hao's 0.6).
    private const double QualityWeight = 0.6;
    private readonly int _capacity;
    private readonly List<Member> _members = [];

    public DiversePopulation(int capacity) => _capacity = capacity;

    public int Count => _members.Count;

    public int Capacity => _capacity;

    public Member this[int index] => _members[index];

    /// <summary>
    /// How far apart two solutions are: the number of machine positions that hold different operations
    /// (0 for the same machine orders; at most the number of operations).
    /// </summary>
    public static int Distance(int[][] a, int[][] b)
    {
        var distance = 0;
        for (var m = 0; m < a.Length; m++)
        {
            var (x, y) = (a[m], b[m]);
            for (var i = 0; i < x.Length; i++)
            {
                if (x[i] != y[i])
                {
                    distance++;
                }
            }
        }

        return distance;
    }

    /// <summary>Offers a solution (machine orders copied); true when it was taken.</summary>
    public bool Add(JobShopState solution)
    {
        foreach (var member in _members)
        {
            if (member.Makespan == solution.Makespan && Distance(member.Sequence, solution.Sequence) == 0)
            {
                return false;
            }
        }

        var newcomer = new Member(solution.Makespan, solution.Sequence.Select(s => (int[])s.Clone()).ToArray(),
            Array.ConvertAll(solution.Head, h => (double)h));
        _members.Add(newcomer);
        if (_members.Count <= _capacity)
        {
            return true;
        }

        var leaving = LeastGood();
        _members.RemoveAt(leaving);
        return leaving != _members.Count;
    }

    public int BestIndex()
    {
        var best = 0;
        for (var i = 1; i < _members.Count; i++)
        {
            if (_members[i].Makespan < _members[best].Makespan)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// The member whose goodness is lowest: makespan and distance to its nearest neighbour, each scaled to [0, 1] over
    /// the population; ties go to the latest member (so a newcomer no better than others does not push one out).
    /// </summary>
    private int LeastGood()
    {
        var n = _members.Count;
        var nearest = new int[n];
        Array.Fill(nearest, int.MaxValue);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = Distance(_members[i].Sequence, _members[j].Sequence);
                nearest[i] = Math.Min(nearest[i], d);
                nearest[j] = Math.Min(nearest[j], d);
            }
        }

        int bestMakespan = int.MaxValue, worstMakespan = int.MinValue, closest = int.MaxValue, farthest = int.MinValue;
        for (var i = 0; i < n; i++)
        {
            bestMakespan = Math.Min(bestMakespan, _members[i].Makespan);
            worstMakespan = Math.Max(worstMakespan, _members[i].Makespan);
            closest = Math.Min(closest, nearest[i]);
            farthest = Math.Max(farthest, nearest[i]);
        }

        var protectedBest = BestIndex();
        var leaving = -1;
        var lowest = double.MaxValue;
        for (var i = 0; i < n; i++)
        {
            if (i == protectedBest)
            {
                continue;
            }

            var quality = (worstMakespan - _members[i].Makespan) / (double)(worstMakespan - bestMakespan + 1);
            var spread = (nearest[i] - closest) / (double)(farthest - closest + 1);
            var goodness = (QualityWeight * quality) + ((1 - QualityWeight) * spread);
            if (goodness <= lowest)
            {
                (lowest, leaving) = (goodness, i);
            }
        }

        return leaving;
    }

    /// <summary>A member: its makespan, machine orders and start times (what other workers are handed).</summary>
    internal sealed record Member(int Makespan, int[][] Sequence, double[] Starts);
}
