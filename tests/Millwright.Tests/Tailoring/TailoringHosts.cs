using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Hosting;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>Hosts with MQTT (the virtual factory's tailoring cell), a quick planner and a customers quota a test can reach.</summary>
public sealed class TailoringSqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    public const int CustomersQuota = 4;

    private protected override ServeOptions Configure(ServeOptions options) => Tuned(options);

    internal static ServeOptions Tuned(ServeOptions options) => options with
    {
        Quotas = QuotaOptions.Default with { C2mCustomers = CustomersQuota },
        Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(5) },
    };
}

public sealed class TailoringPostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => TailoringSqliteHost.Tuned(options);
}
