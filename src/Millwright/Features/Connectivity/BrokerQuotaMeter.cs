using Millwright.Features.Quotas;
using Millwright.Mqtt.Server;

namespace Millwright.Features.Connectivity;

/// <summary>A tenant's use of the broker, as its account there counts it.</summary>
internal sealed class BrokerQuotaMeter(MqttServer broker) : IQuotaMeter
{
    public IEnumerable<KeyValuePair<string, long>> UseOf(long tenantId)
    {
        var use = broker.UsageOf(QuotaAccounts.Of(tenantId)) ?? default;
        yield return new("mqtt-connections", use.Connections);
        yield return new("persistent-sessions", use.PersistentSessions);
        yield return new("retained-messages", use.RetainedMessages);
        yield return new("retained-bytes", use.RetainedBytes);
    }
}
