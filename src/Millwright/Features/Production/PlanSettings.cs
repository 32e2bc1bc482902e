namespace Millwright.Features.Production;

/// <summary>
/// What a plan is built with beyond the orders and machines: the frozen horizon (waiting jobs planned to start
/// within it keep their machine and place; docs/production.md, Plan stability), and what was learned from the
/// machines' history: how long each machine that is down now is expected to stay so, and observed changeovers.
/// </summary>
/// <param name="Repairs">Per machine that is down or offline, how much longer it is expected to stay so; missing: the fixed allowance.</param>
/// <param name="Setups">Observed changeover times, in ms, per (machine, from program, to program); missing pairs fall back to the setup families.</param>
/// <param name="Families">The tenant's setup families, their matrix and the family pairs learned; null: none.</param>
internal sealed record PlanSettings(
    TimeSpan FrozenHorizon,
    IReadOnlyDictionary<long, TimeSpan>? Repairs = null,
    IReadOnlyDictionary<(long Machine, string From, string To), long>? Setups = null,
    SetupFamilyPlan? Families = null)
{
    public static readonly PlanSettings None = new(TimeSpan.Zero);
}
