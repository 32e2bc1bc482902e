using Millwright.Features.Alarms;

namespace Millwright.Features.Fleet;

/// <summary>
/// Fleet conditions that are not about a position, raised through the alarm writer like the geofence alarms (same
/// band of fixed negative rule ids, so one open alarm per machine and condition): a machine whose AEMP feed fails,
/// and a machine with an overdue service.
/// </summary>
internal static class FleetAlarms
{
    public const string Kind = "fleet";

    private const long Band = -(1L << 40);

    public static readonly CompiledRule FeedFailing = Rule(Band - 4, "AEMP feed failing", "high", "{machine}: its AEMP feed fails, values are stale: {value}");

    public static readonly CompiledRule ServiceOverdue = Rule(Band - 5, "service overdue", "medium", "{machine}: service overdue: {value}");

    public static CompiledRule For(CompiledRule rule, long tenantId) => rule with { TenantId = tenantId };

    private static CompiledRule Rule(long id, string name, string severity, string message) =>
        new(id, 0, name, "fleet", Kind, null, 0, 0, 0, null, severity, MessageTemplate.Parse(message), 0);
}
