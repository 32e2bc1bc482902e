using Millwright.Features.Alarms;

namespace Millwright.Features.Fleet;

/// <summary>
/// The three fleet conditions as alarm rules, built for the alarm writer so they share the ISA-18.2 lifecycle,
/// history, live feed and webhooks of every alarm. Their rule ids are fixed negative numbers far below the
/// anomaly detector's (the negated ids of its series), so each machine has at most one open alarm per condition.
/// </summary>
internal static class GeofenceAlarms
{
    public const string Kind = "geofence";

    private const long Band = -(1L << 40);

    public static readonly CompiledRule OutsideArea = Rule(Band - 1, "outside allowed area", "high", "{machine} is outside its allowed area: {value}");

    public static readonly CompiledRule AfterHours = Rule(Band - 2, "moving after hours", "medium", "{machine} moves after working hours: {value}");

    public static readonly CompiledRule Theft = Rule(Band - 3, "moving with engine off", "critical", "{machine} moves with its engine off (possible theft): {value}");

    /// <summary>The rule with the tenant it is raised in (the writer runs the transition as that tenant's system caller).</summary>
    public static CompiledRule For(CompiledRule rule, long tenantId) => rule with { TenantId = tenantId };

    private static CompiledRule Rule(long id, string name, string severity, string message) =>
        new(id, 0, name, "location", Kind, null, 0, 0, 0, null, severity, MessageTemplate.Parse(message), 0);
}
