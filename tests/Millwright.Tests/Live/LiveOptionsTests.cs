using System.Net;
using Millwright.Features.Live;
using Millwright.Hosting;

namespace Millwright.Tests.Live;

public sealed class LiveOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => new LiveOptions().Validate();

    [Theory]
    [InlineData(0, 10_000, 5, "MaxConnectionsPerTenant")]
    [InlineData(100, 0, 5, "MaxMachinesPerConnection")]
    [InlineData(100, 10_000, 0, "AuthTimeout")]
    public void Out_of_range_limits_stop_the_host_from_starting(int connections, int machines, int authSeconds, string named)
    {
        var live = new LiveOptions { MaxConnectionsPerTenant = connections, MaxMachinesPerConnection = machines, AuthTimeout = TimeSpan.FromSeconds(authSeconds) };
        var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), new StoreOptions(Path.GetTempPath(), null)) { Live = live };

        var e = Assert.Throws<ArgumentException>(() => MillwrightApp.Build(options, database: null!));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
