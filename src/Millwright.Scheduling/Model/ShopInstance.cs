namespace Millwright.Scheduling.Model;

/// <summary>
/// A (flexible) job shop: jobs of ordered operations on machines numbered 0..MachineCount-1, with optional setups and
/// machine downtime. The constructor validates everything and throws <see cref="SchedulingInputException"/> naming the
/// first thing wrong, so a solver never sees a bad instance.
/// </summary>
public sealed class ShopInstance
{
    /// <summary>Largest single time (duration, setup, release, due, window bound): beyond it the input is taken as a mistake.</summary>
    public const int MaxTime = 100_000_000;

    /// <summary>Bound on the schedule horizon, so that every sum the solvers form stays well inside 32 bits.</summary>
    public const long MaxHorizon = 1_000_000_000;

    public ShopInstance(int machineCount, IReadOnlyList<ShopJob> jobs, SetupTimes? setups = null,
        IReadOnlyList<IReadOnlyList<TimeWindow>>? downtime = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (machineCount < 1)
        {
            throw new SchedulingInputException($"an instance needs at least one machine, not {machineCount}");
        }

        if (jobs.Count < 1)
        {
            throw new SchedulingInputException("an instance needs at least one job");
        }

        MachineCount = machineCount;
        Jobs = jobs;
        Setups = setups;
        Name = name;
        Downtime = ValidateDowntime(machineCount, downtime);
        if (setups is not null && setups.Machines != machineCount)
        {
            throw new SchedulingInputException($"the setup matrix covers {setups.Machines} machines but the instance has {machineCount}");
        }

        OperationCount = ValidateJobs(out var horizon);
        horizon += Downtime.Sum(w => w.Sum(x => (long)x.End - x.Start));
        if (horizon > MaxHorizon)
        {
            throw new SchedulingInputException($"the schedule horizon could reach {horizon} time units, more than {MaxHorizon}; use a coarser time unit");
        }
    }

    public string? Name { get; }

    public int MachineCount { get; }

    public IReadOnlyList<ShopJob> Jobs { get; }

    public SetupTimes? Setups { get; }

    /// <summary>Per machine, its downtime windows sorted by start and not overlapping one another.</summary>
    public IReadOnlyList<IReadOnlyList<TimeWindow>> Downtime { get; }

    public int OperationCount { get; }

    /// <summary>True when this is a classic job shop: one machine per operation, no setups, releases or downtime.</summary>
    public bool IsClassic => Setups is null && Downtime.All(d => d.Count == 0)
        && Jobs.All(j => j.Release == 0 && j.Operations.All(o => o.Options.Count == 1));

    private int ValidateJobs(out long horizon)
    {
        horizon = 0;
        var count = 0;
        for (var j = 0; j < Jobs.Count; j++)
        {
            var job = Jobs[j] ?? throw new SchedulingInputException($"job {j} is missing");
            var label = job.Name is null ? $"job {j}" : $"job {j} ({job.Name})";
            if (job.Operations is null || job.Operations.Count == 0)
            {
                throw new SchedulingInputException($"{label} has no operations");
            }

            CheckTime(job.Release, $"{label}: release");
            if (job.Due is { } due)
            {
                CheckTime(due, $"{label}: due date");
            }

            if (job.Weight is < 0 or > 1_000_000)
            {
                throw new SchedulingInputException($"{label}: weight {job.Weight} must be 0..1000000");
            }

            horizon = Math.Max(horizon, job.Release);
            for (var k = 0; k < job.Operations.Count; k++)
            {
                horizon += ValidateOperation(job.Operations[k], $"{label}, operation {k}");
            }

            count += job.Operations.Count;
            if (count > 2_000_000)
            {
                throw new SchedulingInputException("more than 2,000,000 operations");
            }
        }

        return count;
    }

    private int ValidateOperation(ShopOperation? operation, string label)
    {
        if (operation?.Options is null || operation.Options.Count == 0)
        {
            throw new SchedulingInputException($"{label}: no machine can run it (no machine options)");
        }

        if (Setups is not null && (operation.SetupFamily < 0 || operation.SetupFamily >= Setups.Families))
        {
            throw new SchedulingInputException($"{label}: setup family {operation.SetupFamily} is not one of the {Setups.Families} families");
        }

        var longest = 0;
        var seen = new HashSet<int>();
        foreach (var option in operation.Options)
        {
            if (option is null || option.Machine < 0 || option.Machine >= MachineCount)
            {
                throw new SchedulingInputException($"{label}: machine {option?.Machine} does not exist (machines are 0..{MachineCount - 1})");
            }

            if (!seen.Add(option.Machine))
            {
                throw new SchedulingInputException($"{label}: machine {option.Machine} is listed twice");
            }

            CheckTime(option.Duration, $"{label}: duration on machine {option.Machine}");
            var setup = Setups?.MaxInto(option.Machine, operation.SetupFamily) ?? 0;

            longest = Math.Max(longest, option.Duration + setup);
        }

        return longest;
    }

    private static void CheckTime(int value, string what)
    {
        if (value is < 0 or > MaxTime)
        {
            throw new SchedulingInputException($"{what} is {value}; times must be 0..{MaxTime}");
        }
    }

    private static IReadOnlyList<TimeWindow>[] ValidateDowntime(int machines, IReadOnlyList<IReadOnlyList<TimeWindow>>? downtime)
    {
        if (downtime is not null && downtime.Count != machines)
        {
            throw new SchedulingInputException($"downtime is given for {downtime.Count} machines but the instance has {machines}");
        }

        var result = new IReadOnlyList<TimeWindow>[machines];
        for (var m = 0; m < machines; m++)
        {
            var windows = (downtime?[m] ?? []).ToList();
            foreach (var w in windows)
            {
                if (w is null || w.Start < 0 || w.End > MaxTime || w.End <= w.Start)
                {
                    throw new SchedulingInputException($"machine {m}: downtime window {w} must have 0 <= start < end <= {MaxTime}");
                }
            }

            windows.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var i = 1; i < windows.Count; i++)
            {
                if (windows[i].Start < windows[i - 1].End)
                {
                    throw new SchedulingInputException($"machine {m}: downtime windows {windows[i - 1]} and {windows[i]} overlap");
                }
            }

            result[m] = windows;
        }

        return result;
    }
}
