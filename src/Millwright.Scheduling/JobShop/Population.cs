namespace Millwright.Scheduling.JobShop;

/// <summary>
/// The population of a hybrid evolutionary search after Cheng, Peng and Lü (2016): tabu-searched solutions kept apart
/// by a score of quality and distance, parents of a precedence-preserving crossover. Distance between two solutions
/// is the number of machine positions that hold different operations.
/// </summary>
internal sealed class Population
{
    // Weight of quality against distance in the goodness score (the paper's β).
    private const double QualityWeight = 0.6;
    private readonly int _capacity;
    private readonly List<Member> _members = [];

    public Population(int capacity) => _capacity = capacity;

    public int Count => _members.Count;

    public bool Full => _members.Count >= _capacity;

    public Member this[int index] => _members[index];

    /// <summary>
    /// Adds a solution while there is room; when full, the member with the worst goodness (the best never) leaves
    /// for it, unless the newcomer is itself the worst. Copies of a member are refused. True when it was taken.
    /// </summary>
    public bool Offer(int makespan, ulong fingerprint, double[] starts, int[] positions)
    {
        if (_members.Any(m => m.Fingerprint == fingerprint))
        {
            return false;
        }

        var candidate = new Member(makespan, fingerprint, starts, positions);
        if (!Full)
        {
            _members.Add(candidate);
            return true;
        }

        var all = new List<Member>(_members) { candidate };
        var n = all.Count;
        var nearest = new int[n];
        Array.Fill(nearest, int.MaxValue);
        for (var i = 0; i < n; i++)
        {
            for (var k = i + 1; k < n; k++)
            {
                var d = Distance(all[i].Positions, all[k].Positions);
                nearest[i] = Math.Min(nearest[i], d);
                nearest[k] = Math.Min(nearest[k], d);
            }
        }

        int fMin = all.Min(m => m.Makespan), fMax = all.Max(m => m.Makespan);
        int dMin = nearest.Min(), dMax = nearest.Max();
        var best = all.FindIndex(m => m.Makespan == fMin);
        int worst = -1;
        var worstScore = double.MaxValue;
        for (var i = 0; i < n; i++)
        {
            if (i == best)
            {
                continue;
            }

            var quality = (fMax - all[i].Makespan) / (double)(fMax - fMin + 1);
            var spread = (nearest[i] - dMin) / (double)(dMax - dMin + 1);
            var score = (QualityWeight * quality) + ((1 - QualityWeight) * spread);
            if (score < worstScore)
            {
                (worstScore, worst) = (score, i);
            }
        }

        if (worst == n - 1)
        {
            return false;
        }

        _members[worst] = candidate;
        return true;
    }

    public static int Distance(int[] a, int[] b)
    {
        var d = 0;
        for (var i = 0; i < a.Length; i++)
        {
            d += a[i] != b[i] ? 1 : 0;
        }

        return d;
    }

    /// <summary>
    /// Precedence-preserving crossover (POX): the operations of a random half of the jobs keep their places in
    /// parent a's processing order, the others fill the remaining places in parent b's order. Each job stays in one
    /// parent's order, so the keys never decrease along a job and the child's graph is acyclic.
    /// </summary>
    public static double[] Cross(JobShopProblem p, double[] a, double[] b, Random random)
    {
        var fromA = new bool[p.Jobs];
        var taken = 0;
        for (var j = 0; j < p.Jobs; j++)
        {
            fromA[j] = random.Next(2) == 0;
            taken += fromA[j] ? 1 : 0;
        }

        if (taken == 0 || taken == p.Jobs)
        {
            var j = random.Next(p.Jobs);
            fromA[j] = !fromA[j];
        }

        var orderA = ProcessingOrder(a);
        var orderB = ProcessingOrder(b);
        var keys = new double[p.Count];
        var next = 0;
        for (var i = 0; i < orderA.Length; i++)
        {
            if (fromA[p.JobOf[orderA[i]]])
            {
                keys[orderA[i]] = i;
                continue;
            }

            while (fromA[p.JobOf[orderB[next]]])
            {
                next++;
            }

            keys[orderB[next++]] = i;
        }

        return keys;
    }

    // Operations by start time, then number: along a job both increase, so this is a topological order.
    private static int[] ProcessingOrder(double[] starts)
    {
        var order = new int[starts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) => starts[x] != starts[y] ? starts[x].CompareTo(starts[y]) : x.CompareTo(y));
        return order;
    }

    /// <summary>A member: its makespan, machine-order fingerprint, start times, and the operation at each machine position.</summary>
    internal sealed record Member(int Makespan, ulong Fingerprint, double[] Starts, int[] Positions);
}
