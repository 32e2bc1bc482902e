namespace Millwright.Scheduling.Flexible;

/// <summary>
/// A randomised greedy start for <see cref="FlexibleTabuWorker"/>: repeatedly schedules, among the next operations
/// of all jobs, one that can finish earliest on some machine, appending it there. The choice is drawn among the few
/// best (by finish time, then by the job's remaining shortest work) so that each seed starts elsewhere.
/// </summary>
internal static class FlexibleConstruction
{
    public static (int[] Choice, int[][] Sequences) Build(FlexibleProblem p, Random random)
    {
        var jobs = p.FirstOfJob.Length;
        var next = (int[])p.FirstOfJob.Clone();
        var ready = new long[jobs];
        var remaining = new long[jobs];
        for (var op = 0; op < p.Count; op++)
        {
            remaining[JobOf(p, op)] += p.OptionDuration[op].Min();
        }

        for (var j = 0; j < jobs; j++)
        {
            ready[j] = p.Release[p.FirstOfJob[j]];
        }

        var free = new long[p.Machines];
        var choice = new int[p.Count];
        var sequences = Enumerable.Range(0, p.Machines).Select(_ => new List<int>()).ToArray();
        var candidates = new List<(double Key, int Job, int Option)>();
        for (var placed = 0; placed < p.Count; placed++)
        {
            candidates.Clear();
            for (var j = 0; j < jobs; j++)
            {
                var op = next[j];
                if (op < 0)
                {
                    continue;
                }

                for (var o = 0; o < p.OptionMachine[op].Length; o++)
                {
                    var end = Math.Max(ready[j], free[p.OptionMachine[op][o]]) + p.OptionDuration[op][o];

                    // Earliest finish first; among close ones the job with more work left, with noise per seed.
                    candidates.Add((end - (0.1 * remaining[j]) + (random.NextDouble() * 2), j, o));
                }
            }

            candidates.Sort((a, b) => a.Key.CompareTo(b.Key));
            var (_, job, option) = candidates[random.Next(Math.Min(3, candidates.Count))];
            var chosen = next[job];
            var machine = p.OptionMachine[chosen][option];
            choice[chosen] = option;
            sequences[machine].Add(chosen);
            ready[job] = free[machine] = Math.Max(ready[job], free[machine]) + p.OptionDuration[chosen][option];
            remaining[job] -= p.OptionDuration[chosen].Min();
            next[job] = p.JobNext[chosen];
        }

        return (choice, [.. sequences.Select(s => s.ToArray())]);
    }

    private static int JobOf(FlexibleProblem p, int op)
    {
        var j = Array.BinarySearch(p.FirstOfJob, op);
        return j >= 0 ? j : ~j - 1;
    }
}
