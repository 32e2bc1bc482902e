using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>The real app on a clock the test moves by hand, so durations, missing data and shelving need no waiting.</summary>
public abstract class ClockedHost(bool postgres) : IAsyncLifetime
{
    private TestHost? _host;

    // Starts at the real time: the alarm tests stamp their telemetry relative to it.
    internal ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    // Webhook receivers listen on loopback, which the egress policy opens only on the operator's word.
    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, clock: Clock, configure: TestEgress.AllowLoopback);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
