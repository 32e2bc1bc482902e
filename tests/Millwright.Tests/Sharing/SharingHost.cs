using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// The real app on a clock the test moves by hand (bid deadlines, quoted windows), starting on a Monday at
/// midnight UTC, with small sharing quotas so that the quota tests need few rows and a quick planner.
/// </summary>
public abstract class SharingHost(bool postgres) : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private TestHost? _host;

    internal ManualClock Clock { get; } = new(Start);

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, clock: Clock, configure: o => o with
    {
        Quotas = QuotaOptions.Default with { SharedOffers = 2, SharedRequests = 3 },
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

public sealed class SqliteSharingHost() : SharingHost(postgres: false);

public sealed class PostgresSharingHost() : SharingHost(postgres: true);
