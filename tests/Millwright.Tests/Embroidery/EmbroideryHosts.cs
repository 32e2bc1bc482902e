using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Hosting;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Embroidery;

/// <summary>Hosts with MQTT (the virtual factory's machines), a quick planner, and a designs quota a test can reach.</summary>
public sealed class EmbroiderySqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    public const int DesignsQuota = 6;

    private protected override ServeOptions Configure(ServeOptions options) => Tuned(options);

    internal static ServeOptions Tuned(ServeOptions options) => options with
    {
        Quotas = QuotaOptions.Default with { EmbroideryDesigns = DesignsQuota },
        Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(5) },
    };
}

public sealed class EmbroideryPostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => EmbroiderySqliteHost.Tuned(options);
}
