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

    /// <summary>
    /// Waiting jobs the plan being followed starts within this keep their machine and their place on it at a re-plan,
    /// unless their machine goes down or offline (people are preparing them). Zero: nothing is frozen.
    /// </summary>
    public TimeSpan FrozenHorizon { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// What moving a waiting job to another machine costs in a re-plan, as lateness of its order: at the default, a
    /// move must save the order (weighted by its priority) more than 10 minutes of lateness. Zero: moves are free.
    /// </summary>
    public TimeSpan MoveCost { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A waiting job whose start moves by up to this (earlier or later) has not moved: it costs nothing and is not reported.</summary>
    public TimeSpan ShiftTolerance { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>What each minute a start moves beyond the tolerance costs, as lateness of its order. Zero: shifts are free.</summary>
    public TimeSpan ShiftCostPerMinute { get; init; } = TimeSpan.FromSeconds(6);

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

        if (FrozenHorizon < TimeSpan.Zero || FrozenHorizon > TimeSpan.FromDays(7) || MoveCost < TimeSpan.Zero || MoveCost > TimeSpan.FromDays(7)
            || ShiftTolerance < TimeSpan.Zero || ShiftTolerance > TimeSpan.FromDays(7) || ShiftCostPerMinute < TimeSpan.Zero || ShiftCostPerMinute > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("production options: frozen horizon, move cost and shift tolerance must be 0..7 days, shift cost 0..1 hour per minute");
        }
    }
}
