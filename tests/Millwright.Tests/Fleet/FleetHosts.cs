using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>Hosts whose egress policy lets tenants reach 127.0.0.1, where the tests' AEMP feeds listen.</summary>
public sealed class FleetFeedSqliteHost() : HostFixture(postgres: false, allowLoopbackEgress: true);

public sealed class FleetFeedPostgresHost() : HostFixture(postgres: true, allowLoopbackEgress: true);

/// <summary>
/// Hosts with MQTT on a clock the test moves by hand, with the default dispatch timeout (5 minutes): the test moves
/// the clock past it instead of waiting. Its machines connect without keep-alive, which the jump would otherwise end.
/// </summary>
public abstract class FleetClockedHost(bool postgres) : IAsyncLifetime
{
    private TestHost? _host;

    internal ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt: true, clock: Clock);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

public sealed class FleetClockedSqliteHost() : FleetClockedHost(postgres: false);

public sealed class FleetClockedPostgresHost() : FleetClockedHost(postgres: true);
