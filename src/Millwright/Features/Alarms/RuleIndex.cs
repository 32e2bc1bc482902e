namespace Millwright.Features.Alarms;

/// <summary>
/// One tenant's rules, indexed so that a reading costs a lookup by machine and one by tag. Immutable once
/// built; a reload builds a new index and swaps it in.
/// </summary>
internal sealed class RuleIndex(
    IReadOnlyDictionary<long, Dictionary<string, RuleBinding[]>> byMachine,
    IReadOnlyList<RuleBinding> timed,
    IReadOnlySet<long> knownMachines,
    bool hasTypeRules)
{
    public IReadOnlyDictionary<long, Dictionary<string, RuleBinding[]>> ByMachine { get; } = byMachine;

    /// <summary>Duration and missing-data bindings, which the engine's timer also checks.</summary>
    public IReadOnlyList<RuleBinding> Timed { get; } = timed;

    /// <summary>Every machine of the tenant at load time: a message from any other one means the registry moved on.</summary>
    public IReadOnlySet<long> KnownMachines { get; } = knownMachines;

    public bool HasTypeRules { get; } = hasTypeRules;

    public int RuleCount => ByMachine.Values.Sum(tags => tags.Values.Sum(b => b.Length));

    public static RuleIndex Build(IReadOnlyList<CompiledRule> rules, IReadOnlyList<(long Rule, long Machine)> scope,
        IReadOnlySet<long> machines, bool hasTypeRules, Func<CompiledRule, long, ConditionState> state)
    {
        var byId = rules.ToDictionary(r => r.Id);
        var byMachine = new Dictionary<long, Dictionary<string, List<RuleBinding>>>();
        var timed = new List<RuleBinding>();
        foreach (var (ruleId, machine) in scope)
        {
            if (!byId.TryGetValue(ruleId, out var rule))
            {
                continue;
            }

            var binding = new RuleBinding(rule, machine, state(rule, machine));
            if (!byMachine.TryGetValue(machine, out var tags))
            {
                byMachine[machine] = tags = new Dictionary<string, List<RuleBinding>>(StringComparer.Ordinal);
            }

            if (!tags.TryGetValue(rule.Tag, out var list))
            {
                tags[rule.Tag] = list = [];
            }

            list.Add(binding);
            if (rule.IsTimed)
            {
                timed.Add(binding);
            }
        }

        var frozen = byMachine.ToDictionary(m => m.Key, m => m.Value.ToDictionary(t => t.Key, t => t.Value.ToArray(), StringComparer.Ordinal));
        return new RuleIndex(frozen, timed, machines, hasTypeRules);
    }
}
