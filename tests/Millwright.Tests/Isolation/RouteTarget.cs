using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>What a route walk aims at: one tenant's plant, one of its API keys, and one of its alarm rules, alarms and webhooks.</summary>
public sealed record RouteTarget(long TenantId, Plant Plant, long KeyId, long AlarmRuleId = 0, long AlarmId = 0, long WebhookId = 0, long OrderId = 0)
{
    public MakerspaceTarget Makerspace { get; init; } = MakerspaceTarget.None;

    public EmbroideryTarget Embroidery { get; init; } = EmbroideryTarget.None;

    public TailoringTarget Tailoring { get; init; } = TailoringTarget.None;

    public FleetTarget Fleet { get; init; } = FleetTarget.None;
    public long DesignProjectId { get; init; }

    /// <summary>A CA the target tenant trusts for its OPC UA links.</summary>
    public long OpcUaCaId { get; init; }
}
