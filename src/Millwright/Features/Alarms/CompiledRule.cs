namespace Millwright.Features.Alarms;

/// <summary>A rule as the engine holds it: parsed once per reload, immutable, shared by every machine it watches.</summary>
internal sealed record CompiledRule(
    long Id, long TenantId, string Name, string Tag, string Kind, string? Direction, double Limit, double Deadband,
    long DurationMs, string? StateValue, string Severity, MessageTemplate Message, long Version)
{
    public bool IsTimed => Kind is AlarmVocabulary.Duration or AlarmVocabulary.Missing;

    public static CompiledRule From(AlarmRuleRow row) => new(
        row.Id, row.TenantId, row.Name, row.Tag, row.Kind, row.Direction, row.LimitValue ?? 0, row.Deadband,
        (row.DurationS ?? 0) * 1000, row.StateValue, row.Severity, MessageTemplate.Parse(row.Message), row.UpdatedAt);
}
