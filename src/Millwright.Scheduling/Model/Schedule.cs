namespace Millwright.Scheduling.Model;

/// <summary>A solution: for each job, for each of its operations in order, the machine and start time.</summary>
public sealed class Schedule
{
    public Schedule(IReadOnlyList<IReadOnlyList<ScheduledOperation>> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        Jobs = jobs;
    }

    public IReadOnlyList<IReadOnlyList<ScheduledOperation>> Jobs { get; }

    /// <summary>Duration of operation <paramref name="index"/> of job <paramref name="job"/> on the machine this schedule gave it.</summary>
    public static int DurationOn(ShopInstance instance, int job, int index, int machine)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var option in instance.Jobs[job].Operations[index].Options)
        {
            if (option.Machine == machine)
            {
                return option.Duration;
            }
        }

        return -1;
    }
}
