using Millwright.Api;
using Millwright.Hosting;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Makerspace;

/// <summary>Hosts with MQTT (to prove a participant's key is refused there) and an ideas quota a test can reach.</summary>
public sealed class MakerspaceSqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    public const int IdeasQuota = 40;

    private protected override ServeOptions Configure(ServeOptions options) => options with { Quotas = QuotaOptions.Default with { Ideas = IdeasQuota } };
}

public sealed class MakerspacePostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => options with { Quotas = QuotaOptions.Default with { Ideas = MakerspaceSqliteHost.IdeasQuota } };
}
