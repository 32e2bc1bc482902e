namespace Millwright.Features.Alarms;

/// <summary>One rule watching one machine, with the state of its condition there.</summary>
internal sealed record RuleBinding(CompiledRule Rule, long MachineId, ConditionState State);
