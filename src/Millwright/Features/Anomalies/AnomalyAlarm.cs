using Millwright.Features.Alarms;

namespace Millwright.Features.Anomalies;

/// <summary>
/// The alarm rule an anomaly is raised under, built per transition for the alarm writer: the same path, lifecycle,
/// history, live feed and webhooks as a threshold alarm. Its id is the series' negated id (alarm_rules ids are
/// positive), so each series has at most one open alarm per machine and its history stays together.
/// </summary>
internal static class AnomalyAlarm
{
    public const string Kind = "anomaly";

    public static CompiledRule Rule(MachineWatch machine, SeriesWatch series, string context, string explanation)
    {
        // Tags are at most 64 characters, so the explanation stays well inside the template's 500.
        var text = explanation.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

        return new CompiledRule(series.RuleId, machine.TenantId, $"anomaly: {series.Tag}", series.Tag, Kind, null, 0, 0, 0, context, machine.Severity,
            MessageTemplate.Parse(text.Length == 0 ? "{machine}: anomaly" : "{machine}: " + text), 0);
    }
}
