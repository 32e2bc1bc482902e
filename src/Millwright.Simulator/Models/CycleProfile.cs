using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// How long a kind of machine stays in each state. Running, idle and setup spells are drawn uniformly from
/// their ranges; breakdowns arrive while running as a Poisson process with the given mean time between
/// failures, and last a repair time drawn from its range.
/// </summary>
internal sealed record CycleProfile(
    (TimeSpan Min, TimeSpan Max) Run,
    (TimeSpan Min, TimeSpan Max) Idle,
    (TimeSpan Min, TimeSpan Max) Setup,
    TimeSpan MeanTimeBetweenFailures,
    (TimeSpan Min, TimeSpan Max) Repair,
    IReadOnlyList<int> AlarmCodes)
{
    /// <summary>After a running spell: the chance the next state is a changeover (setup) rather than a wait (idle).</summary>
    public double SetupAfterRun { get; init; } = 0.3;

    /// <summary>The chance a running spell ends in another running spell straight away (a new order on the same setup).</summary>
    public double RunAgain { get; init; } = 0.4;

    /// <summary>The kind's wearing part, if it has one (docs/wear-model.md); its failures come on top of the random ones.</summary>
    public WearProfile? Wear { get; init; }
}
