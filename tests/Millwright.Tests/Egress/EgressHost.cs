using Millwright.Tests.Harness;

namespace Millwright.Tests.Egress;

/// <summary>
/// A host whose egress policy opens loopback for one tenant only (slug <see cref="PlantSlug"/>, made by the tests)
/// and whose resolver makes test names point at forbidden addresses.
/// </summary>
public abstract class EgressHost(bool postgres) : IAsyncLifetime
{
    private TestHost? _host;
    private Task<TestTenant>? _plant;

    public string PlantSlug { get; } = "plant-" + Guid.NewGuid().ToString("N")[..10];

    internal FakeResolver Resolver { get; } = new(new Dictionary<string, string[]>
    {
        ["loopback.test"] = ["127.0.0.1"],
        ["metadata.test"] = ["169.254.169.254"],
        ["private.test"] = ["10.20.30.40"],
        ["v6loopback.test"] = ["::1"],
        ["mapped.test"] = ["::ffff:127.0.0.1"],
        ["ula.test"] = ["fd00:ec2::254"],
    });

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, configure: o => o with
    {
        Egress = o.Egress.With(TestEgress.Rule($"{PlantSlug}=127.0.0.0/8")) with { Resolver = Resolver },
    });

    /// <summary>The one tenant the loopback rule names, made on first use and shared by the tests of the class.</summary>
    public Task<TestTenant> PlantTenantAsync() => LazyInitializer.EnsureInitialized(ref _plant, () => Host.CreateTenantAsync(slug: PlantSlug));

    public async Task DisposeAsync()
    {
        if (_plant is { IsCompletedSuccessfully: true })
        {
            (await _plant).Dispose();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
