using Millwright.Features.Live;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>
/// The real app with the live feed's limits made small enough to reach in a test: a one-second login
/// window, three bad messages, three connections per tenant and a refresh every 200 ms.
/// </summary>
public abstract class LiveHost(bool postgres) : IAsyncLifetime
{
    internal static readonly LiveOptions Options = new()
    {
        AuthTimeout = TimeSpan.FromSeconds(1),
        MaxBadMessages = 3,
        MaxConnectionsPerTenant = 3,
        RefreshInterval = TimeSpan.FromMilliseconds(200),
    };

    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt: false, configure: o => o with { Live = Options });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
