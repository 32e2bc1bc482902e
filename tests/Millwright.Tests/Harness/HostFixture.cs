namespace Millwright.Tests.Harness;

/// <summary>One running Millwright per test class; tests share it and keep apart by making their own tenants.</summary>
/// <param name="allowLoopbackEgress">Opens loopback in the egress policy, for tests whose Modbus devices listen on 127.0.0.1.</param>
public abstract class HostFixture(bool postgres, bool mqtt = false, bool allowLoopbackEgress = false) : IAsyncLifetime
{
    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt, configure: Configure);

    /// <summary>Adjusts the options of the host before it starts: loopback egress when asked, and what a subclass adds (e.g. small quotas).</summary>
    private protected virtual Millwright.Hosting.ServeOptions Configure(Millwright.Hosting.ServeOptions options) =>
        allowLoopbackEgress ? TestEgress.AllowLoopback(options) : options;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
