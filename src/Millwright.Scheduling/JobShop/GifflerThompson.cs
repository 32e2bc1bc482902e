namespace Millwright.Scheduling.JobShop;

/// <summary>
/// Giffler and Thompson's active-schedule generation with the most-work-remaining rule, ties and near-ties broken
/// at random: a quick, decent starting point for the tabu search. Returns start times, which give machine orders.
/// </summary>
internal static class GifflerThompson
{
    public static double[] Build(JobShopProblem p, Random random)
    {
        var start = new double[p.Count];
        var next = new int[p.Jobs];
        var jobReady = new int[p.Jobs];
        var machineReady = new int[p.Machines];
        var remaining = new int[p.Jobs];
        for (var j = 0; j < p.Jobs; j++)
        {
            next[j] = p.JobFirst[j];
            for (var op = p.JobFirst[j]; op < p.JobFirst[j + 1]; op++)
            {
                remaining[j] += p.Duration[op];
            }
        }

        for (var placed = 0; placed < p.Count; placed++)
        {
            // The operation that could finish first fixes the machine; any job that could start there before that
            // finish time competes for it.
            var bestEnd = int.MaxValue;
            var machine = -1;
            var first = -1;
            for (var j = 0; j < p.Jobs; j++)
            {
                var op = next[j];
                if (op < p.JobFirst[j + 1])
                {
                    var end = Math.Max(jobReady[j], machineReady[p.Machine[op]]) + p.Duration[op];
                    if (end < bestEnd)
                    {
                        (bestEnd, machine, first) = (end, p.Machine[op], j);
                    }
                }
            }

            var chosen = -1;
            var bestScore = double.MinValue;
            for (var j = 0; j < p.Jobs; j++)
            {
                var op = next[j];
                if (op < p.JobFirst[j + 1] && p.Machine[op] == machine && (j == first || Math.Max(jobReady[j], machineReady[machine]) < bestEnd))
                {
                    var score = remaining[j] * (0.8 + (0.4 * random.NextDouble()));
                    if (score > bestScore)
                    {
                        (bestScore, chosen) = (score, j);
                    }
                }
            }

            var o = next[chosen];
            var s = Math.Max(jobReady[chosen], machineReady[machine]);
            start[o] = s;
            jobReady[chosen] = machineReady[machine] = s + p.Duration[o];
            remaining[chosen] -= p.Duration[o];
            next[chosen]++;
        }

        return start;
    }
}
