using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>Hosts whose egress policy lets tenants reach 127.0.0.1, where the tests' AEMP feeds listen.</summary>
public sealed class FleetFeedSqliteHost() : HostFixture(postgres: false, allowLoopbackEgress: true);

public sealed class FleetFeedPostgresHost() : HostFixture(postgres: true, allowLoopbackEgress: true);

/// <summary>Hosts with MQTT whose fleet fails a dispatch unanswered for 3 s, checked every 200 ms.</summary>
public sealed class FleetDispatchTimeoutSqliteHost() : HostFixture(postgres: false, mqtt: true)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private protected override Millwright.Hosting.ServeOptions Configure(Millwright.Hosting.ServeOptions options) => Tuned(options);

    internal static Millwright.Hosting.ServeOptions Tuned(Millwright.Hosting.ServeOptions options) => options with
    {
        Fleet = new Millwright.Features.Fleet.FleetOptions { DispatchAckTimeout = Timeout, DispatchCheckEvery = TimeSpan.FromMilliseconds(200) },
    };
}

public sealed class FleetDispatchTimeoutPostgresHost() : HostFixture(postgres: true, mqtt: true)
{
    private protected override Millwright.Hosting.ServeOptions Configure(Millwright.Hosting.ServeOptions options) => FleetDispatchTimeoutSqliteHost.Tuned(options);
}
