using Millwright.Features.Production;
using Millwright.Hosting;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>Hosts with MQTT (the virtual factory's tailoring cell) and a quick planner.</summary>
public sealed class TailoringSqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => Tuned(options);

    internal static ServeOptions Tuned(ServeOptions options) => options with
    {
        Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(5) },
    };
}

public sealed class TailoringPostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override ServeOptions Configure(ServeOptions options) => TailoringSqliteHost.Tuned(options);
}
