using Millwright.Features.Erp;
using Millwright.Features.Production;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>The real app with MQTT and a planner tuned for tests: short plans and ticks, a short answer timeout.</summary>
public abstract class ProductionHost(bool postgres) : IAsyncLifetime
{
    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    // Loopback is opened in the egress policy: some tests' machines are Modbus servers on 127.0.0.1.
    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt: true, configure: o => TestEgress.AllowLoopback(o) with
    {
        Production = new ProductionOptions
        {
            PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3),
        },
        Erp = new ErpOptions { Poll = TimeSpan.FromMilliseconds(100), FirstRetry = TimeSpan.FromMilliseconds(200) },
    });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
