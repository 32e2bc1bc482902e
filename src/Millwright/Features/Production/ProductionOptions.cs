namespace Millwright.Features.Production;

/// <summary>How the planner plans and follows production (docs/production.md).</summary>
internal sealed record ProductionOptions
{
    /// <summary>Time the scheduler gets for one plan: the plan is made again within seconds of a breakdown.</summary>
    public TimeSpan PlanTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Scheduler threads: one by default, so that planning never takes both cores from ingest.</summary>
    public int PlanWorkers { get; init; } = 1;

    /// <summary>How long a machine that is down or offline is assumed to stay so when planning.</summary>
    public TimeSpan RepairAllowance { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A dispatched job no machine accepted within this goes back to planning without that machine.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Open orders are planned again at least this often, so ETAs follow actual progress.</summary>
    public TimeSpan ReplanEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A running job is late once its projected end passes its committed end by this, or by a tenth of its planned time if more.</summary>
    public TimeSpan LateTolerance { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the planner looks at counts, timeouts and late jobs when nothing else wakes it.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (PlanTime <= TimeSpan.Zero || PlanTime > TimeSpan.FromMinutes(5) || PlanWorkers is < 1 or > 64
            || RepairAllowance <= TimeSpan.Zero || AckTimeout <= TimeSpan.Zero || ReplanEvery <= TimeSpan.Zero
            || LateTolerance < TimeSpan.Zero || Tick <= TimeSpan.Zero)
        {
            throw new ArgumentException("production options: times must be positive (plan time at most 5 minutes) and workers 1..64");
        }
    }
}
