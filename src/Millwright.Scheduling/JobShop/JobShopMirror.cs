using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.JobShop;

/// <summary>
/// The mirror of a classic job shop: every job's operations in reverse order. A schedule of the mirror read backwards
/// in time is a schedule of the original with the same makespan, and the other way round, so a tabu search can work
/// on either. The two are searched differently (start schedules, critical-path ties, which moves look best first).
/// </summary>
internal sealed class JobShopMirror
{
    private readonly JobShopProblem _original;

    public JobShopMirror(JobShopProblem original)
    {
        _original = original;
        var jobs = original.Instance.Jobs
            .Select(j => new ShopJob(j.Operations.Reverse().ToArray(), Name: j.Name))
            .ToArray();
        Mirrored = new JobShopProblem(new ShopInstance(original.Machines, jobs, name: original.Instance.Name));
    }

    public JobShopProblem Mirrored { get; }

    /// <summary>A mirror schedule's start times as the original's (operations numbered job by job in both).</summary>
    public double[] ToOriginal(double[] mirroredStarts) => Flip(mirroredStarts, Mirrored);

    /// <summary>An original schedule's start times as the mirror's.</summary>
    public double[] ToMirrored(double[] originalStarts) => Flip(originalStarts, _original);

    /// <summary>
    /// Operation k of a job of n is operation n-1-k of the other problem's job, and it starts where it ended there,
    /// counted back from the makespan.
    /// </summary>
    private static double[] Flip(double[] starts, JobShopProblem from)
    {
        var makespan = 0.0;
        for (var op = 0; op < from.Count; op++)
        {
            makespan = Math.Max(makespan, starts[op] + from.Duration[op]);
        }

        var flipped = new double[from.Count];
        for (var j = 0; j < from.Jobs; j++)
        {
            int first = from.JobFirst[j], last = from.JobFirst[j + 1] - 1;
            for (var op = first; op <= last; op++)
            {
                flipped[first + last - op] = makespan - (starts[op] + from.Duration[op]);
            }
        }

        return flipped;
    }
}
