using Millwright.Api;
using Millwright.Hosting;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Quotas;

/// <summary>Hosts whose quotas are small enough for a test to reach each one with a handful of requests.</summary>
internal static class SmallQuotas
{
    public static readonly QuotaOptions Options = QuotaOptions.Default with
    {
        Machines = 2,
        ApiKeys = 4,
        Webhooks = 1,
        SeriesPerMachine = 3,
        MqttConnections = 2,
        PersistentSessions = 1,
        SubscriptionsPerSession = 2,
        RetainedMessages = 2,
        RetainedBytes = 100,
    };

    public static ServeOptions Apply(ServeOptions options) => options with { Quotas = Options };
}

public sealed class SmallQuotaSqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => SmallQuotas.Apply(options);
}

public sealed class SmallQuotaPostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => SmallQuotas.Apply(options);
}
