namespace Millwright.Features.States;

/// <summary>One rule as a client sends it: the state, and the condition over tags that yields it.</summary>
internal sealed record StateRuleInput(string? State, string? When);

/// <summary>
/// How a machine type's state, downtime reasons and production counts come from its tags. Every field is
/// optional so that a missing one is reported by name or takes its documented default. The offline timeout is
/// either a duration (OfflineAfterSeconds) or a number of missed reports (OfflineAfterIntervals × ReportingIntervalSeconds).
/// </summary>
internal sealed record StateRuleSetInput(
    IReadOnlyList<StateRuleInput?>? Rules,
    string? DefaultState,
    double? OfflineAfterSeconds,
    string? AlarmTag,
    IReadOnlyDictionary<string, string>? AlarmReasons,
    string? PartCounter,
    string? ScrapCounter,
    string? EnergyCounter,
    string? ProgramTag,
    double? IdealCycleSeconds,
    IReadOnlyDictionary<string, double>? IdealCycleByProgram,
    double? ReportingIntervalSeconds = null,
    int? OfflineAfterIntervals = null);

internal sealed record StateRule(string State, string When);

/// <summary>A validated rule set, as stored (JSON) and answered.</summary>
internal sealed record StateRuleSet(
    IReadOnlyList<StateRule> Rules,
    string DefaultState,
    double OfflineAfterSeconds,
    string? AlarmTag,
    IReadOnlyDictionary<string, string> AlarmReasons,
    string? PartCounter,
    string? ScrapCounter,
    string? EnergyCounter,
    string? ProgramTag,
    double? IdealCycleSeconds,
    IReadOnlyDictionary<string, double> IdealCycleByProgram,
    double? ReportingIntervalSeconds = null,
    int? OfflineAfterIntervals = null)
{
    public const double DefaultOfflineAfterSeconds = 60;

    /// <summary>What a type without stored rules gets: idle while it reports, offline when it stops.</summary>
    public static readonly StateRuleSet Default = new([], MachineStateNames.Idle, DefaultOfflineAfterSeconds, null,
        new Dictionary<string, string>(), null, null, null, null, null, new Dictionary<string, double>());

    /// <summary>Ideal time for one unit of <paramref name="program"/>: its own, else the type's; null when unknown.</summary>
    public double? IdealCycleFor(string program) =>
        IdealCycleByProgram.TryGetValue(program, out var seconds) ? seconds : IdealCycleSeconds;
}

internal sealed record StateRulesDto(long TypeId, StateRuleSet RuleSet, DateTimeOffset? UpdatedAt);
