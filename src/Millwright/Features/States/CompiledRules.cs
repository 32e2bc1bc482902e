using System.Globalization;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.States;

/// <summary>A rule set with its conditions parsed, ready to be evaluated on a machine's twin.</summary>
internal sealed class CompiledRules
{
    private readonly IReadOnlyList<(string State, Condition When)> _rules;

    public CompiledRules(StateRuleSet set)
    {
        Set = set;
        _rules = set.Rules.Select(r => (r.State, ConditionParser.Parse(r.When))).ToList();
    }

    public StateRuleSet Set { get; }

    /// <summary>The state of the first rule whose condition holds, else the default state.</summary>
    public string Evaluate(IReadOnlyDictionary<string, TagValue> values)
    {
        foreach (var (state, when) in _rules)
        {
            if (when.IsTrue(values))
            {
                return state;
            }
        }

        return Set.DefaultState;
    }

    /// <summary>A down interval's reason from the alarm tag: the type's text for the code, else "alarm {code}".</summary>
    public string? AlarmReason(IReadOnlyDictionary<string, TagValue> values)
    {
        if (Set.AlarmTag is not { } tag || !values.TryGetValue(tag, out var value))
        {
            return null;
        }

        var code = value.Kind == TagValueKind.Number ? value.Number.ToString(CultureInfo.InvariantCulture) : value.ToString();
        return Set.AlarmReasons.TryGetValue(code, out var text) ? text : $"alarm {code}";
    }
}
