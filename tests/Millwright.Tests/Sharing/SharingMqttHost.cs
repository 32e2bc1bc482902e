using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// The real app with MQTT, so that the provider's machine takes the shared job's commands, on a clock the test
/// moves by hand (the booked window lies hours ahead), starting on a Monday at midnight UTC.
/// </summary>
public abstract class SharingMqttHost(bool postgres) : IAsyncLifetime
{
    private TestHost? _host;

    internal ManualClock Clock { get; } = new(SharingHost.Start);

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt: true, clock: Clock, configure: o => o with
    {
        Quotas = QuotaOptions.Default with { SharedOffers = 2, SharedRequests = 3, SharedQuoteRate = 6 },
        Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100) },
    });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

public sealed class SqliteSharingMqttHost() : SharingMqttHost(postgres: false);

public sealed class PostgresSharingMqttHost() : SharingMqttHost(postgres: true);
